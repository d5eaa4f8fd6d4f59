package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code audit} and {@code diff} share: inputs, outputs, exit policy, registry cache. */
final class AuditOptions {
    @Parameters(paramLabel = "INPUT", arity = "0..*",
            description = "Files, directories (recursively: *.yaml, *.yml, *.json) or - for standard input (default: -).")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT[=FILE]",
            description = "Report format, to standard output or to FILE (repeatable): table (default), json, policyreport, junit, sarif, html.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--report-api", defaultValue = "wgpolicy", paramLabel = "API",
            description = "PolicyReport API for --output policyreport: wgpolicy (wgpolicyk8s.io/v1alpha2) or openreports (openreports.io/v1alpha1).")
    String reportApi;

    @Option(names = "--fail-on", paramLabel = "LEVEL",
            description = "Also exit 1 on: error (unevaluable references, unreadable inputs), or warn (warnings and errors).")
    String failOn;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on the terminal.")
    boolean quiet;

    @Option(names = "--cache-file", paramLabel = "FILE",
            description = "Keep registry answers between runs here: tag digests for --tag-ttl, image metadata for good.")
    Path cacheFile;

    @Option(names = "--offline", description = "Never contact registries: lookups the --cache-file answers use it, every other fails with \"offline\".")
    boolean offline;

    @Option(names = "--strict", description = "Treat unknown policy fields as errors.")
    boolean strict;

    @Option(names = "--lookup-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a group of registry lookups may take (default: ${DEFAULT-VALUE}).")
    Duration lookupTimeout;

    @Option(names = "--integrated-registry", paramLabel = "HOST",
            description = "Also treat HOST[:PORT] as the integrated registry, as serve --integrated-registry does (repeatable).")
    List<String> integratedRegistries = new ArrayList<>();

    @picocli.CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @picocli.CommandLine.Mixin
    ClusterOptions cluster = new ClusterOptions();
}
