package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What would this policy do to these workloads? The webhook's engine, over manifests instead of requests. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge every workload in the inputs as the webhook would judge its CREATE, and report.",
            "Exit status: 0 nothing would be denied, 1 something would be (or --fail-on matched), 2 bad usage or an invalid policy."})
final class AuditCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "PATH", description = "Policy file or directory (repeatable).")
    List<Path> policy;

    @Mixin
    AuditOptions options = new AuditOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImagePolicyEngine engine = load(policy, options.strict, spec);
        if (engine == null) {
            return Main.INVALID;
        }
        return new ReportRun(options, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run("audit", engine, display(policy), null, null);
    }

    static ImagePolicyEngine load(List<Path> paths, boolean strict, picocli.CommandLine.Model.CommandSpec spec) {
        try {
            return new ImagePolicyEngine(PolicyFiles.load(paths, strict).policy());
        } catch (PolicyException e) {
            e.problems().stream().map(PolicyProblem::format).forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getErr().flush();
            return null;
        }
    }

    static String display(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(","));
    }
}
