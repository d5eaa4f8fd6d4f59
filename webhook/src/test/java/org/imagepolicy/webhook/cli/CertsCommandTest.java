package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certs subcommands as operators type them. */
class CertsCommandTest {

    @Test
    void generateWithKubernetesWritesASecretManifestAndTheCaBundle(@TempDir Path dir) throws Exception {
        CommandLineTest.Run r = CommandLineTest.run("certs", "generate", "--service", "ipw", "--namespace", "policy-system", "--out",
                dir.toString(), "--dns", "webhook.example.com", "--ip", "10.0.0.7", "--kubernetes");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("created a new CA in " + dir.resolve("ca.crt"))
                .contains("wrote " + dir.resolve("tls.crt") + " for ipw.policy-system.svc, ipw, ipw.policy-system,"
                        + " ipw.policy-system.svc.cluster.local, webhook.example.com");
        Secret secret = Serialization.unmarshal(Files.readString(dir.resolve("secret.yaml")), Secret.class);
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getMetadata().getName()).isEqualTo("ipw-tls");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("policy-system");
        assertThat(decode(secret.getData().get("tls.crt"))).isEqualTo(Files.readString(dir.resolve("tls.crt")));
        assertThat(decode(secret.getData().get("tls.key"))).isEqualTo(Files.readString(dir.resolve("tls.key")));
        assertThat(decode(secret.getData().get("ca.crt"))).isEqualTo(Files.readString(dir.resolve("ca.crt")));
        assertThat(decode(Files.readString(dir.resolve("ca-bundle.b64")).strip())).isEqualTo(Files.readString(dir.resolve("ca.crt")));
        // The manifest holds the private key, so it is as private as the key file.
        assertThat(Files.getPosixFilePermissions(dir.resolve("secret.yaml"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void inspectShowsTheCertificateAndExits1WithinRenewBefore(@TempDir Path dir) {
        CommandLineTest.run("certs", "generate", "--service", "ipw", "--namespace", "ns", "--out", dir.toString(), "--validity", "20d",
                "--key-type", "rsa-2048");

        CommandLineTest.Run ok = CommandLineTest.run("certs", "inspect", dir.resolve("tls.crt").toString(), "--renew-before", "7d");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("subject:     CN=ipw.ns.svc\n").contains("dns names:   ipw.ns.svc, ipw, ipw.ns, ipw.ns.svc.cluster.local\n")
                .contains("issuer:      CN=image-policy-webhook CA\n").contains("key:         RSA 2048\n")
                .containsPattern("serial:      [0-9a-f]{32}\n").containsPattern("status:      (19|20) days left\n");

        CommandLineTest.Run due = CommandLineTest.run("certs", "inspect", dir.resolve("tls.crt").toString());
        assertThat(due.exit()).isEqualTo(1);
        assertThat(due.out()).containsPattern("status:      (19|20) days left, within --renew-before 30d; renew it\n");

        CommandLineTest.Run ca = CommandLineTest.run("certs", "inspect", dir.resolve("ca.crt").toString());
        assertThat(ca.out()).contains("subject:     CN=image-policy-webhook CA (CA)\n");
    }

    @Test
    void renewSaysWhetherItRenewed(@TempDir Path dir) throws Exception {
        CommandLineTest.run("certs", "generate", "--service", "ipw", "--namespace", "ns", "--out", dir.toString(), "--validity", "20d");
        String ca = Files.readString(dir.resolve("ca.crt"));

        CommandLineTest.Run notDue = CommandLineTest.run("certs", "renew", "--out", dir.toString(), "--renew-before", "7d");
        assertThat(notDue.exit()).isZero();
        assertThat(notDue.out()).isEqualTo("not renewed: " + dir.resolve("tls.crt") + " is valid beyond --renew-before 7d\n");

        CommandLineTest.Run due = CommandLineTest.run("certs", "renew", "--out", dir.toString());
        assertThat(due.exit()).isZero();
        assertThat(due.out()).startsWith("renewed " + dir.resolve("tls.crt")).endsWith("; kept the CA\n");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(ca);
        assertThat(CommandLineTest.run("certs", "inspect", dir.resolve("tls.crt").toString()).exit()).isZero();
    }

    @Test
    void badInputSaysWhatAndExits2(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
        CommandLineTest.Run junk = CommandLineTest.run("certs", "inspect", dir.resolve("junk.crt").toString());
        assertThat(junk.exit()).isEqualTo(2);
        assertThat(junk.err()).isEqualTo(dir.resolve("junk.crt") + ": no PEM certificate found\n");

        CommandLineTest.Run keyType = CommandLineTest.run("certs", "generate", "--service", "ipw", "--namespace", "ns", "--out",
                dir.toString(), "--key-type", "dsa");
        assertThat(keyType.exit()).isEqualTo(2);
        assertThat(keyType.err()).isEqualTo("certs generate: unknown key type 'dsa'; use one of ec-p256, rsa-2048, rsa-3072, rsa-4096\n");

        CommandLineTest.Run noCa = CommandLineTest.run("certs", "renew", "--out", dir.resolve("empty").toString());
        assertThat(noCa.exit()).isEqualTo(2);
        assertThat(noCa.err()).contains("run certs generate first");

        CommandLineTest.Run duration = CommandLineTest.run("certs", "generate", "--service", "ipw", "--namespace", "ns", "--out",
                dir.toString(), "--validity", "a year");
        assertThat(duration.exit()).isEqualTo(2);
        assertThat(duration.err()).contains("write it like 500ms, 2.5s, 10m, 1h or 30d");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
