package org.imagepolicy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.certs.ServingCertSpec;

/**
 * What cert-manager does to a running webhook, for the soak: a new CA and serving certificate for
 * localhost and 127.0.0.1 in DIR ({@code ca.crt}, {@code tls.key}, then {@code tls.crt}), each file
 * replaced whole so the server never reads half of one.
 *
 * <pre>java -cp benchmarks.jar org.imagepolicy.bench.RotateCertificate DIR</pre>
 */
public final class RotateCertificate {
    private RotateCertificate() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        IssuedCertificate issued = CertificateAuthority.generate("image-policy-webhook soak CA", Duration.ofDays(1))
                .issue(new ServingCertSpec(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1)));
        replace(dir.resolve("ca.crt"), Pem.encode(issued.issuer()));
        replace(dir.resolve("tls.key"), issued.privateKeyPem());
        replace(dir.resolve("tls.crt"), issued.certificatePem()); // last: the server reloads when it changes
    }

    private static void replace(Path file, String content) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
