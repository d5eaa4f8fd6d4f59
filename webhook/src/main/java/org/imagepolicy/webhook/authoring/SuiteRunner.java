package org.imagepolicy.webhook.authoring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.report.Outcome;

/**
 * Runs a suite's cases through the webhook's engine: each request prepared, its lookups answered from the
 * suite's facts (or a registry, when the suite gives none and the run is not offline), then decided. The
 * traced decision is checked against {@code decide}'s before any expectation is compared.
 */
public final class SuiteRunner {
    /** The registry client, for suites that give no facts; implemented where Vert.x may live. */
    @FunctionalInterface
    public interface Registry {
        Map<ImageReference, Resolution> resolve(List<ImageLookup> lookups) throws IOException;
    }

    public record CaseResult(TestSuite.Case testCase, List<String> failures, List<ReferenceVerdict> verdicts) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** A suite's cases, or the problems that kept it from running (an invalid policy, an unreadable case). */
    public record SuiteResult(TestSuite suite, List<CaseResult> cases, List<TestSuite.Problem> problems) {
    }

    private final Registry registry;

    /** @param registry {@code null} for offline runs: images without facts then fail to resolve with "offline" */
    public SuiteRunner(Registry registry) {
        this.registry = registry;
    }

    public SuiteResult run(TestSuite suite) {
        List<TestSuite.Problem> problems = new ArrayList<>();
        ImagePolicyEngine engine;
        try {
            engine = new ImagePolicyEngine(PolicyFiles.load(suite.policy(), false).policy());
        } catch (PolicyException e) {
            for (PolicyProblem p : e.problems()) {
                if (p.isError()) {
                    problems.add(new TestSuite.Problem(p.source(), p.line(), (p.path().isEmpty() ? "" : p.path() + ": ") + p.message()));
                }
            }
            return new SuiteResult(suite, List.of(), problems);
        }
        List<PreparedRequest> prepared = new ArrayList<>();
        for (TestSuite.Case c : suite.cases()) {
            try {
                AdmissionInput in = AdmissionRequests.input(c.document(), c.namespace());
                prepared.add(engine.prepare(in, Set.of()));
            } catch (BadReviewException e) {
                problems.add(new TestSuite.Problem(suite.file().toString(), c.line(), "case \"" + c.name() + "\": " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            return new SuiteResult(suite, List.of(), problems);
        }
        ImageFacts facts;
        try {
            facts = facts(suite, prepared);
        } catch (IOException e) {
            problems.add(new TestSuite.Problem(suite.file().toString(), 1, "registry lookups failed: " + e.getMessage()));
            return new SuiteResult(suite, List.of(), problems);
        }
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            results.add(judge(engine, suite.cases().get(i), prepared.get(i), facts));
        }
        return new SuiteResult(suite, results, problems);
    }

    /** The suite's facts first; what they do not cover is looked up in one batch, or fails as offline. */
    private ImageFacts facts(TestSuite suite, List<PreparedRequest> prepared) throws IOException {
        Map<ImageReference, Resolution> live = new HashMap<>();
        if (registry != null && suite.facts().isEmpty()) {
            List<ImageLookup> wanted = new ArrayList<>();
            for (PreparedRequest p : prepared) {
                wanted.addAll(p.registryLookups());
            }
            if (!wanted.isEmpty()) {
                live.putAll(registry.resolve(wanted.stream().distinct().toList()));
            }
        }
        String missing = suite.facts().isEmpty() ? "offline"
                : "offline: the suite's images: say nothing about this image; add it there (with its labels, or error: ...)";
        return (field, reference) -> {
            Resolution fact = suite.facts().get(field.name());
            if (fact != null) {
                return fact;
            }
            if (reference == null && registry != null && suite.facts().isEmpty()) {
                return Resolution.WITHOUT_IMAGE_API; // an image stream reference: test reads no cluster, the suite can give its facts
            }
            Resolution looked = reference == null ? null : live.get(reference);
            return looked != null ? looked : new Resolution.Failed(missing);
        };
    }

    private static CaseResult judge(ImagePolicyEngine engine, TestSuite.Case c, PreparedRequest prepared, ImageFacts facts) {
        ImagePolicyEngine.Explanation explained = engine.explain(prepared, facts);
        Decision decided = engine.decide(prepared, facts);
        List<String> failures = new ArrayList<>();
        if (!decided.equals(explained.decision())) {
            // Never expected: the traced judge must decide as the admission path does. Say so rather than trust either.
            failures.add("internal error: the traced decision differs from the webhook's (" + explained.decision().outcome() + " vs "
                    + decided.outcome() + "); please report it");
            return new CaseResult(c, failures, List.of());
        }
        List<ReferenceVerdict> verdicts = ReferenceVerdict.of(explained, engine.judgesImagesOf(prepared.input().resource()));
        if (explained.references().isEmpty() && prepared.answered() != null) {
            Outcome whole = ReferenceVerdict.wholeRequest(decided);
            String message = decided.message() == null ? "" : decided.message();
            for (TestSuite.Expectation e : c.expectations()) {
                compare(e, whole, message, whole == Outcome.SKIP ? "the webhook does not check this request (operation, subresource,"
                        + " resource or namespace outside the policy, or a controller-owned object under skipControllerOwned)"
                        : "the object could not be read", "the request", failures);
            }
            return new CaseResult(c, failures, verdicts);
        }
        if (verdicts.isEmpty()) {
            // Checked, but no image judged: none in the object, or an UPDATE that changed none (only changed images are judged).
            for (TestSuite.Expectation e : c.expectations()) {
                compare(e, Outcome.SKIP, "", "the webhook judged no image of this request: the object has none it reads,"
                        + " or it is an UPDATE that changed none", "the request", failures);
            }
            return new CaseResult(c, failures, verdicts);
        }
        for (ReferenceVerdict v : verdicts) {
            TestSuite.Expectation chosen = null;
            for (TestSuite.Expectation e : c.expectations()) {
                if (!e.selectsAll() && e.selects(v.field(), v.image())) {
                    chosen = e;
                    break;
                }
            }
            if (chosen == null) {
                chosen = c.expectations().stream().filter(TestSuite.Expectation::selectsAll).findFirst().orElse(null);
            }
            String what = v.field() + " \"" + v.image() + "\"";
            if (chosen == null) {
                failures.add(what + " has no expectation (it was " + v.outcome().word() + "); add {image: " + v.image() + ", expect: "
                        + v.outcome().word() + "}");
                continue;
            }
            compare(chosen, v.outcome(), v.message(), v.why(), what, failures);
        }
        for (TestSuite.Expectation e : c.expectations()) {
            if (!e.selectsAll() && verdicts.stream().noneMatch(v -> e.selects(v.field(), v.image()))) {
                failures.add("line " + e.line() + ": no reference is " + e.describe() + "; the object's references are "
                        + verdicts.stream().map(v -> v.field() + " \"" + v.image() + "\"").toList());
            }
        }
        return new CaseResult(c, failures, verdicts);
    }

    private static void compare(TestSuite.Expectation e, Outcome actual, String message, String why, String what, List<String> failures) {
        if (actual != e.outcome()) {
            failures.add(what + ": expected " + e.outcome().word() + ", got " + actual.word() + " (" + why + ")"
                    + (message.isEmpty() ? "" : "\n    message: " + message.replace("\n", "\n             ")));
        } else if (e.message() != null && !e.message().matcher(message).find()) {
            failures.add(what + ": " + actual.word() + " as expected, but the message does not contain /" + e.message().pattern() + "/"
                    + "\n    message: " + (message.isEmpty() ? "(none)" : message.replace("\n", "\n             ")));
        }
    }
}
