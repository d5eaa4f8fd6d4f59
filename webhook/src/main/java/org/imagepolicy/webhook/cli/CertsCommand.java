package org.imagepolicy.webhook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.imagepolicy.certs.CertificateDirectory;
import org.imagepolicy.certs.CertificateInfo;
import org.imagepolicy.certs.KeyType;
import org.imagepolicy.certs.KubernetesTlsSecret;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.certs.PemException;
import org.imagepolicy.certs.ServingCertSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code certs generate | inspect | renew | kubernetes}: the webhook's own certificate tooling. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Create, inspect and renew the webhook's CA and serving certificate.",
        subcommands = {CertsCommand.Generate.class, CertsCommand.Inspect.class, CertsCommand.Renew.class,
            KubernetesCertsCommand.class})
final class CertsCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Write a CA (ca.crt, ca.key) and a serving certificate (tls.crt, tls.key) for a Service to DIR.",
                "An existing CA in DIR is reused, so clients that trust it keep trusting the new certificate.",
                "Private keys are written mode 0600; every file is replaced atomically."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--service", required = true, paramLabel = "NAME", description = "The webhook's Service name.")
        String service;

        @Option(names = "--namespace", required = true, paramLabel = "NAMESPACE", description = "The Service's namespace.")
        String namespace;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files go.")
        Path out;

        @Option(names = "--dns", paramLabel = "NAME", description = "Another DNS name for the certificate (repeatable).")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "IP", description = "An IP address for the certificate (repeatable).")
        List<String> ips = new ArrayList<>();

        @picocli.CommandLine.Mixin
        CertificateOptions certificate = new CertificateOptions();

        @Option(names = "--renew-before", defaultValue = "30d", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "A CA in DIR expiring within this is replaced instead of reused (default: ${DEFAULT-VALUE}).")
        Duration renewBefore;

        @Option(names = "--kubernetes", description = "Also write secret.yaml (a kubernetes.io/tls Secret) and ca-bundle.b64 (the caBundle for webhook configurations).")
        boolean kubernetes;

        @Option(names = "--secret-name", paramLabel = "NAME", description = "Name of the Secret --kubernetes writes (default: SERVICE-tls).")
        String secretName;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CertificateDirectory.Outcome outcome;
            try {
                ServingCertSpec cert = new ServingCertSpec(CertificateDirectory.serviceNames(service, namespace, dns), ips, certificate.validity);
                CertificateDirectory dir = new CertificateDirectory(this.out);
                outcome = dir.generate(new CertificateDirectory.Request(cert, KeyType.parse(certificate.keyType), certificate.caValidity, renewBefore),
                        Instant.now());
                if (kubernetes) {
                    String name = secretName == null ? service + "-tls" : secretName;
                    dir.writePrivate("secret.yaml", KubernetesTlsSecret.manifest(name, namespace, outcome.issued()));
                    dir.writePublic("ca-bundle.b64", KubernetesTlsSecret.caBundle(outcome.ca()) + "\n");
                }
            } catch (IllegalArgumentException | PemException e) {
                err.println("certs generate: " + e.getMessage());
                return Main.INVALID;
            } catch (IOException e) {
                err.println("certs generate: cannot write to " + this.out + ": " + e.getMessage());
                return 1;
            }
            out.println((outcome.caReused() ? "kept the CA in " : "created a new CA in ") + this.out.resolve(CertificateDirectory.CA_CERT)
                    + " (expires " + outcome.ca().getNotAfter().toInstant() + ")");
            out.println("wrote " + this.out.resolve(CertificateDirectory.TLS_CERT) + " for "
                    + String.join(", ", CertificateInfo.of(outcome.issued().certificate()).dnsNames())
                    + " (expires " + outcome.issued().certificate().getNotAfter().toInstant() + ")");
            if (kubernetes) {
                out.println("wrote " + this.out.resolve("secret.yaml") + " and " + this.out.resolve("ca-bundle.b64"));
            }
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Show a PEM certificate: subject, names, issuer, serial, key, validity and days left.",
                "Exit status: 0 when valid beyond --renew-before, 1 when expired or within it, 2 when unreadable."})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "A PEM certificate (the first of a chain is shown).")
        Path file;

        @Option(names = "--renew-before", defaultValue = "30d", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Exit 1 when the certificate expires within this (default: ${DEFAULT-VALUE}).")
        Duration renewBefore;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            X509Certificate certificate;
            try {
                certificate = Pem.readCertificates(Files.readString(file)).get(0);
            } catch (IOException e) {
                spec.commandLine().getErr().println(file + ": cannot read: " + e.getMessage());
                return Main.INVALID;
            } catch (PemException e) {
                spec.commandLine().getErr().println(file + ": " + e.getMessage());
                return Main.INVALID;
            }
            Instant now = Instant.now();
            CertificateInfo info = CertificateInfo.of(certificate);
            out.println("subject:     " + info.subject() + (info.ca() ? " (CA)" : ""));
            out.println("dns names:   " + (info.dnsNames().isEmpty() ? "-" : String.join(", ", info.dnsNames())));
            out.println("ip addresses: " + (info.ipAddresses().isEmpty() ? "-" : String.join(", ", info.ipAddresses())));
            out.println("issuer:      " + info.issuer());
            out.println("serial:      " + info.serial());
            out.println("key:         " + info.keyType());
            out.println("not before:  " + info.notBefore());
            out.println("not after:   " + info.notAfter());
            long days = info.daysLeft(now);
            if (!info.notAfter().isAfter(now)) {
                out.println("status:      EXPIRED " + (-days) + " days ago; renew it now");
                return 1;
            }
            if (info.renewalDue(now, renewBefore)) {
                out.println("status:      " + days + " days left, within --renew-before " + renewBefore.toDays() + "d; renew it");
                return 1;
            }
            out.println("status:      " + days + " days left");
            return 0;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = {"Renew DIR/tls.crt with DIR's CA when it expires within --renew-before, for the same names.",
                "The CA is kept. Exit status 0 whether or not it was due; the output says which."})
    static final class Renew implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The directory certs generate wrote.")
        Path out;

        @Option(names = "--renew-before", defaultValue = "30d", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Renew when the certificate expires within this (default: ${DEFAULT-VALUE}).")
        Duration renewBefore;

        @Option(names = "--validity", defaultValue = "365d", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Validity of the renewed certificate (default: ${DEFAULT-VALUE}).")
        Duration validity;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CertificateDirectory.Outcome outcome;
            try {
                outcome = new CertificateDirectory(this.out).renew(renewBefore, validity, Instant.now());
            } catch (PemException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("certs renew: " + e.getMessage());
                return Main.INVALID;
            } catch (IOException e) {
                spec.commandLine().getErr().println("certs renew: " + this.out + ": " + e.getMessage());
                return 1;
            }
            Path tls = this.out.resolve(CertificateDirectory.TLS_CERT);
            if (outcome.issued() == null) {
                out.println("not renewed: " + tls + " is valid beyond --renew-before " + renewBefore.toDays() + "d");
            } else {
                out.println("renewed " + tls + " (expires " + outcome.issued().certificate().getNotAfter().toInstant()
                        + "); kept the CA");
            }
            return 0;
        }
    }
}
