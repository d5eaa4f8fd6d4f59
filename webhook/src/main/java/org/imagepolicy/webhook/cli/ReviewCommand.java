package org.imagepolicy.webhook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Answers one AdmissionReview offline, with the same engine the server runs. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Read one AdmissionReview (a file, or - for standard input) and print the response AdmissionReview.",
            "Exit status: 0 when answered (allowed or denied), 2 on bad input or an invalid policy."})
final class ReviewCommand implements Callable<Integer> {
    static final int MAX_INPUT = 64 * 1024 * 1024;

    @Option(names = "--policy", required = true, paramLabel = "PATH", description = "Policy file or directory (repeatable).")
    List<Path> policy;

    @Option(names = "--strict", description = "Treat unknown policy fields as errors.")
    boolean strict;

    @Option(names = "--offline", description = "Never contact registries; every resolution fails with \"offline\".")
    boolean offline;

    @Option(names = "--mutate", description = "Answer as /mutate does: with the patch that pins resolved images.")
    boolean mutate;

    @Option(names = "--lookup-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long registry lookups may take (default: ${DEFAULT-VALUE}).")
    java.time.Duration lookupTimeout;

    @Option(names = "--image-api", hidden = true, description = "Not here: review reads no cluster (see IMAGE_API_NEEDS_A_CLUSTER).")
    boolean imageApi;

    @picocli.CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @Parameters(arity = "0..1", paramLabel = "FILE", defaultValue = "-", description = "AdmissionReview JSON; - or nothing reads standard input.")
    String input;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (imageApi) {
            err.println("review: " + ExplainCommand.IMAGE_API_NEEDS_A_CLUSTER);
            err.flush();
            return Main.INVALID;
        }
        ImagePolicyEngine engine;
        try {
            engine = new ImagePolicyEngine(PolicyFiles.load(policy, strict).policy());
        } catch (PolicyException e) {
            e.problems().stream().map(PolicyProblem::format).forEach(err::println);
            err.flush();
            return Main.INVALID;
        }
        byte[] body;
        try {
            body = read();
        } catch (IOException e) {
            err.println(input + ": cannot read: " + e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        AdmissionInput in;
        try {
            in = AdmissionReviewCodec.decode(body);
        } catch (BadReviewException e) {
            err.println((input.equals("-") ? "stdin" : input) + ": " + e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        PreparedRequest prepared = engine.prepare(in, java.util.Set.of(), mutate);
        ImageFacts facts;
        try {
            facts = offline ? ImageFacts.OFFLINE : lookUp(engine.policy(), prepared);
        } catch (IllegalArgumentException | CredentialsException | IOException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        ImagePolicyEngine.Mutation answer = engine.mutate(prepared, facts);
        PrintWriter out = spec.commandLine().getOut();
        out.println(new String(AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), answer.decision(), mutate ? answer.patch() : null),
                StandardCharsets.UTF_8));
        out.flush();
        return 0;
    }

    /** The same resolver serve uses without --cluster, for one request, its answers read back as the webhook reads them. */
    private ImageFacts lookUp(org.imagepolicy.webhook.policy.ImagePolicy policy, PreparedRequest prepared) throws CredentialsException, IOException {
        List<ImageLookup> lookups = prepared.lookups();
        if (lookups.isEmpty()) {
            return ImageFacts.OFFLINE;
        }
        Map<ImageLookup, Resolution> found = RegistryLookups.resolve(registry.settings(policy), lookupTimeout, lookups,
                org.imagepolicy.webhook.server.ResolverLayer.NONE, null, false);
        return prepared.facts(found, new Resolution.Failed("no lookup was made for this image"));
    }

    private byte[] read() throws IOException {
        if (!input.equals("-")) {
            if (Files.size(Path.of(input)) > MAX_INPUT) {
                throw new IOException("larger than " + MAX_INPUT + " bytes");
            }
            return Files.readAllBytes(Path.of(input));
        }
        InputStream in = System.in;
        byte[] data = in.readNBytes(MAX_INPUT + 1);
        if (data.length > MAX_INPUT) {
            throw new IOException("larger than " + MAX_INPUT + " bytes");
        }
        return data;
    }
}
