package org.imagepolicy.webhook.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The key and lifetimes of a new CA and serving certificate: the same flags for {@code certs generate} and {@code certs kubernetes}. */
final class CertificateOptions {
    @Option(names = "--key-type", defaultValue = "ec-p256", paramLabel = "TYPE",
            description = "ec-p256, rsa-2048, rsa-3072 or rsa-4096 (default: ${DEFAULT-VALUE}).")
    String keyType;

    @Option(names = "--validity", defaultValue = "365d", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Serving certificate validity (default: ${DEFAULT-VALUE}).")
    Duration validity;

    @Option(names = "--ca-validity", defaultValue = "3650d", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Validity of a new CA (default: ${DEFAULT-VALUE}).")
    Duration caValidity;
}
