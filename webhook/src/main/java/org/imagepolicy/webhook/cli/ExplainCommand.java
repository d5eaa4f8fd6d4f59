package org.imagepolicy.webhook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.authoring.AdmissionRequests;
import org.imagepolicy.webhook.authoring.ExplainReport;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The decision for one image, step by step, from the engine's own trace of it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain the decision for one image: how the reference parses, what a lookup returns, which rules apply and match, and the answer.",
            "Exit status: 0 when the image would be admitted (with or without warnings), 1 when denied, 2 on bad input or an invalid policy."})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "PATH", description = "Policy file or directory (repeatable).")
    List<Path> policy;

    @Option(names = "--resource", defaultValue = "pods", paramLabel = "RESOURCE",
            description = "The resource the image arrives in: pods, deployments, cronjobs, builds, ... (default: ${DEFAULT-VALUE}).")
    String resource;

    @Option(names = "--namespace", defaultValue = "default", paramLabel = "NS", description = "The namespace of the request (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--offline", description = "Never contact registries: say what would be looked up, and judge it as a failed lookup.")
    boolean offline;

    @Option(names = "--lookup-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long registry lookups may take (default: ${DEFAULT-VALUE}).")
    Duration lookupTimeout;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image reference as a pod would carry it.")
    String image;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImagePolicy loaded;
        try {
            loaded = PolicyFiles.load(policy, false).policy();
        } catch (PolicyException e) {
            e.problems().stream().filter(PolicyProblem::isError).map(PolicyProblem::format).forEach(err::println);
            err.flush();
            return Main.INVALID;
        }
        ImagePolicyEngine engine = new ImagePolicyEngine(loaded);
        GroupResource gr;
        PreparedRequest prepared;
        try {
            gr = AdmissionRequests.parseResource(resource);
            prepared = engine.prepare(AdmissionRequests.input(AdmissionRequests.objectWithImage(gr, image, "explain", namespace), namespace),
                    Set.of());
        } catch (IllegalArgumentException | BadReviewException e) {
            err.println("--resource " + resource + ": " + e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        ImageFacts facts = ImageFacts.OFFLINE;
        if (!offline && !prepared.registryLookups().isEmpty()) {
            try {
                Map<ImageReference, Resolution> found = RegistryLookups.resolve(registry.settings(loaded), lookupTimeout, prepared.registryLookups());
                Resolution missing = new Resolution.Failed("no lookup was made for this image");
                facts = (field, reference) -> found.getOrDefault(reference, missing);
            } catch (CredentialsException | IllegalArgumentException | IOException e) {
                err.println(e.getMessage());
                err.flush();
                return Main.INVALID;
            }
        }
        ImagePolicyEngine.Explanation explained = engine.explain(prepared, facts);
        out.print(ExplainReport.render(loaded, image, gr, namespace, explained, engine.judgesImagesOf(gr), offline));
        out.flush();
        return explained.decision().allowed() ? 0 : 1;
    }
}
