package org.imagepolicy.webhook.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.policy.PolicyWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Validates policies the way {@code serve} loads them; each PATH (file or directory) is one policy. */
@Command(name = "check-policy", mixinStandardHelpOptions = true,
        description = {"Validate ImagePolicyConfig files. Problems are printed as FILE:LINE: message.",
            "Exit status: 0 when every policy is valid, 2 when any is not."})
final class CheckPolicyCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "A policy file, or a directory of *.yaml, *.yml, *.json, *.conf and *.toml files (policies, registries.conf, the cluster image configuration) merged into one policy.")
    List<Path> paths;

    @Option(names = "--strict", description = "Treat unknown fields as errors (OpenShift ignores them).")
    boolean strict;

    @Option(names = "--explain", description = {"Print the ImagePolicyConfig each valid policy amounts to, defaults applied:",
        "for a registries.conf, a cluster image configuration (config.openshift.io/v1 Image) or a directory of files,",
        "exactly what the webhook will enforce. It reads back as the same policy."})
    boolean explain;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (Path path : paths) {
            try {
                PolicyParser.Parsed parsed = PolicyFiles.load(List.of(path), strict);
                parsed.warnings().forEach(w -> err.println(w.format()));
                out.println(path + ": valid (" + summary(parsed.policy()) + ")");
                if (explain) {
                    out.println("# the ImagePolicyConfig " + path + " amounts to");
                    out.print(PolicyWriter.yaml(parsed.policy()));
                }
            } catch (PolicyException e) {
                allValid = false;
                for (PolicyProblem p : e.problems()) {
                    err.println(p.format());
                }
                out.println(path + ": invalid");
            }
        }
        out.flush();
        err.flush();
        return allValid ? 0 : Main.INVALID;
    }

    private static String summary(ImagePolicy p) {
        long deny = p.executionRules().stream().filter(r -> r.reject()).count();
        return p.executionRules().size() + " execution rules (" + (p.executionRules().size() - deny) + " allow, " + deny
                + " deny), resolveImages " + p.resolveImages()
                + (p.allowedRegistriesForImport().isEmpty() ? "" : ", imports from " + p.allowedRegistriesForImport().size() + " registries");
    }
}
