package org.imagepolicy.webhook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.imagepolicy.webhook.authoring.ReferenceVerdict;
import org.imagepolicy.webhook.authoring.SuiteFiles;
import org.imagepolicy.webhook.authoring.SuiteReader;
import org.imagepolicy.webhook.authoring.SuiteRunner;
import org.imagepolicy.webhook.authoring.TestSuite;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs policy test suites ({@code kind: ImagePolicyTest}) through the webhook's engine. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run policy test suites: each suite file, or every tests/*.yaml under each directory.",
            "Exit status: 0 when every case passed, 1 when a case failed, 2 when a suite or its policy is invalid."})
final class TestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "A suite file, or a directory searched for tests/*.yaml (policies/ finds policies/tests and policies/examples/tests).")
    List<Path> paths;

    @Option(names = "--offline", description = "Never contact registries: images the suite gives no facts for fail to resolve with \"offline\".")
    boolean offline;

    @Option(names = {"-v", "--verbose"}, description = "Also list each image's result for the cases that passed.")
    boolean verbose;

    @Option(names = "--lookup-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long registry lookups may take (default: ${DEFAULT-VALUE}).")
    Duration lookupTimeout;

    @Option(names = "--image-api", hidden = true, description = "Not here: test reads no cluster (see IMAGE_API_NEEDS_A_CLUSTER).")
    boolean imageApi;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (imageApi) {
            err.println("test: " + ExplainCommand.IMAGE_API_NEEDS_A_CLUSTER + "; a suite gives an image stream reference's facts in its images:");
            err.flush();
            return Main.INVALID;
        }
        Set<Path> files = new LinkedHashSet<>();
        boolean invalid = false;
        for (Path p : paths) {
            try {
                files.addAll(SuiteFiles.find(p));
            } catch (IOException e) {
                err.println(e.getMessage());
                invalid = true;
            }
        }
        SuiteRunner runner;
        try {
            runner = new SuiteRunner(offline ? null : live(registry.settings()));
        } catch (CredentialsException | IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        int passed = 0;
        int failed = 0;
        int broken = 0;
        SuiteReader reader = new SuiteReader();
        for (Path file : files) {
            TestSuite suite = reader.read(file);
            if (suite == null) {
                reader.problems().forEach(err::println);
                out.println(file + ": invalid suite (" + reader.problems().size() + " problem" + (reader.problems().size() == 1 ? "" : "s") + ")");
                broken++;
                continue;
            }
            SuiteRunner.SuiteResult result = runner.run(suite);
            if (!result.problems().isEmpty()) {
                result.problems().forEach(err::println);
                out.println(file + ": could not run (" + result.problems().size() + " problem" + (result.problems().size() == 1 ? "" : "s") + ")");
                broken++;
                continue;
            }
            out.println(file + " (policy " + String.join(", ", suite.policy().stream().map(Path::toString).toList()) + ")");
            for (SuiteRunner.CaseResult c : result.cases()) {
                if (c.passed()) {
                    passed++;
                    out.println("  ok    " + c.testCase().name());
                    if (verbose) {
                        for (ReferenceVerdict v : c.verdicts()) {
                            out.println("          " + v.outcome().word() + "  " + v.field() + " \"" + v.image() + "\"");
                        }
                    }
                } else {
                    failed++;
                    out.println("  FAIL  " + c.testCase().name() + " (" + file + ":" + c.testCase().line() + ")");
                    for (String f : c.failures()) {
                        out.println("        " + f.replace("\n", "\n        "));
                    }
                }
            }
        }
        List<String> summary = new ArrayList<>();
        summary.add((passed + failed) + " cases: " + passed + " passed, " + failed + " failed");
        summary.add(files.size() + " suite" + (files.size() == 1 ? "" : "s"));
        if (broken > 0) {
            summary.add(broken + " could not run");
        }
        out.println(String.join("; ", summary));
        out.flush();
        err.flush();
        if (invalid || broken > 0) {
            return Main.INVALID;
        }
        return failed > 0 ? 1 : 0;
    }

    private SuiteRunner.Registry live(org.imagepolicy.webhook.registry.RegistrySettings settings) {
        return lookups -> RegistryLookups.resolve(settings, lookupTimeout, lookups);
    }
}
