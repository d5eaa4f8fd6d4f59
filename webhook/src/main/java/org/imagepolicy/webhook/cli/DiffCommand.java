package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What does this policy edit do? Both versions judge the same workloads on the same registry facts. */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge the inputs under the current policy (--policy) and an edited one (--against), and report which"
                + " verdicts change: newly denied, newly allowed, reason changed.",
            "Exit status: 0 nothing newly denied, 1 something newly denied (or --fail-on matched), 2 bad usage or an invalid policy."})
final class DiffCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "OLD", description = "The policy in force: file or directory (repeatable).")
    List<Path> policy;

    @Option(names = "--against", required = true, paramLabel = "NEW", description = "The edited policy: file or directory (repeatable).")
    List<Path> against;

    @Mixin
    AuditOptions options = new AuditOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImagePolicyEngine old = AuditCommand.load(policy, options.strict, spec);
        ImagePolicyEngine edited = old == null ? null : AuditCommand.load(against, options.strict, spec);
        if (edited == null) {
            return Main.INVALID;
        }
        return new ReportRun(options, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run("diff", edited, AuditCommand.display(against), old, AuditCommand.display(policy));
    }
}
