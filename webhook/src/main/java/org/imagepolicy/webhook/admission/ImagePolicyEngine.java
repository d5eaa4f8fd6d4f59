package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.Resources;

/**
 * Decides admission requests for one immutable policy. Pure and thread-safe: no I/O, no clocks, no
 * shared mutable state, so the webhook, the command line and tests all run the same code, and a reload
 * swaps the whole engine.
 */
public final class ImagePolicyEngine {
    private final ImagePolicy policy;
    private final Map<GroupResource, ResourceRules> resources;
    private final ReferenceJudge judge;

    public ImagePolicyEngine(ImagePolicy policy) {
        this(policy, true);
    }

    /** @param indexRules false for the plain scan of every rule, which tests compare the index with */
    ImagePolicyEngine(ImagePolicy policy, boolean indexRules) {
        this.policy = policy;
        this.resources = ResourceRules.index(policy, indexRules);
        this.judge = new ReferenceJudge(policy);
    }

    public ImagePolicy policy() {
        return policy;
    }

    /**
     * Upstream's RequestsResolution: whether the policy asks for this resource's images to be resolved.
     * A lookup is then made only where its answer can change the decision (see {@link LookupPlanner}).
     */
    public boolean requestsResolution(GroupResource gr) {
        ResourceRules rr = resources.get(gr);
        return rr != null && rr.requestsResolution();
    }

    /**
     * Whether any execution rule applies to this resource. A resource covered only by resolution rules is
     * admitted without any allow or deny rule looking at its images, which a report must not call a pass.
     */
    public boolean judgesImagesOf(GroupResource gr) {
        if (Resources.IMPORTING.contains(gr)) {
            return !policy.allowedRegistriesForImport().isEmpty();
        }
        ResourceRules rr = resources.get(gr);
        return rr != null && rr.coveredByExecution();
    }

    public Decision decide(AdmissionInput in, ImageFacts facts) {
        return decide(in, Set.of(), facts);
    }

    /**
     * Decides in one go, for callers whose facts are at hand (the command line, tests, offline mode).
     *
     * @param excludedRules rule names the request's namespace opted out of (its ignore-rules annotation)
     */
    public Decision decide(AdmissionInput in, Set<String> excludedRules, ImageFacts facts) {
        return decide(prepare(in, excludedRules), facts);
    }

    /** The gather half: the request gate, the references, and which of them need a lookup. */
    public PreparedRequest prepare(AdmissionInput in, Set<String> excludedRules) {
        return prepare(in, excludedRules, false);
    }

    /** @param mutating whether the answer may pin images to digests ({@code /mutate}); then pinned images are looked up too */
    public PreparedRequest prepare(AdmissionInput in, Set<String> excludedRules, boolean mutating) {
        if (!"CREATE".equals(in.operation()) && !"UPDATE".equals(in.operation())) {
            return PreparedRequest.answered(in, Decision.skipped());
        }
        if (in.namespace() != null && policy.exemptNamespaces().contains(in.namespace())) {
            return PreparedRequest.answered(in, Decision.skipped());
        }
        boolean ephemeral = false;
        if (in.subResource() != null && !in.subResource().isEmpty()) {
            // kubectl debug adds containers through this subresource; upstream let every subresource through.
            ephemeral = in.isUpdate() && in.resource().equals(Resources.PODS) && "ephemeralcontainers".equals(in.subResource());
            // The import controller writes imported references to imagestreams/status; upstream checks them there.
            boolean importedStatus = in.isUpdate() && in.resource().equals(Resources.IMAGE_STREAMS)
                    && ImportCheck.STATUS.equals(in.subResource());
            if (!ephemeral && !importedStatus) {
                return PreparedRequest.answered(in, Decision.skipped());
            }
        }
        if (Resources.IMPORTING.contains(in.resource())) {
            return PreparedRequest.answered(in, importDecision(in));
        }
        ResourceRules rr = resources.get(in.resource());
        if (rr == null || !rr.covered()) {
            return PreparedRequest.answered(in, Decision.skipped());
        }
        JsonNode object = in.object();
        if (object == null || !object.isObject()) {
            return PreparedRequest.answered(in, Decision.invalid("the request has no object to check"));
        }
        if (policy.skipControllerOwned() && controllerOwned(object)) {
            return PreparedRequest.answered(in, Decision.skipped());
        }
        List<ImageField> fields;
        try {
            fields = ephemeral ? ReferenceExtractor.ephemeral(object, in.oldObject())
                    : ReferenceExtractor.extract(in.resource(), object, in.oldObject(), in.isUpdate());
        } catch (MalformedObjectException e) {
            return PreparedRequest.answered(in, Decision.invalid("cannot read " + in.resource() + " \"" + displayName(in) + "\": " + e.getMessage()));
        }
        if (fields == null) {
            return PreparedRequest.answered(in, Decision.skipped());
        }
        List<PlannedReference> planned = new ArrayList<>(fields.size());
        for (ImageField field : fields) {
            planned.add(judge.plan(field, rr, excludedRules, mutating, in.isUpdate()));
        }
        return PreparedRequest.planned(in, excludedRules, rr, planned, ReferenceExtractor.resolveNames(in.resource(), object));
    }

    /** The import policy needs no facts: the registry a name points to decides, so it is answered at once. */
    private Decision importDecision(AdmissionInput in) {
        if (policy.allowedRegistriesForImport().isEmpty() || in.isUpdate() && in.resource().equals(Resources.IMAGE_STREAM_IMPORTS)) {
            return Decision.skipped(); // no import policy; an ImageStreamImport is create-only
        }
        if (in.object() == null || !in.object().isObject()) {
            return Decision.invalid("the request has no object to check");
        }
        List<ImportCheck.ImportField> fields;
        try {
            fields = ImportCheck.fields(in);
        } catch (MalformedObjectException e) {
            return Decision.invalid("cannot read " + in.resource() + " \"" + displayName(in) + "\": " + e.getMessage());
        }
        return DecisionBuilder.build(in, displayName(in), ImportCheck.judge(policy, fields), List.of());
    }

    /** The decide half, once the facts the prepared request asked for are gathered. */
    public Decision decide(PreparedRequest prepared, ImageFacts facts) {
        if (prepared.answered() != null) {
            return prepared.answered();
        }
        List<Violation> violations = new ArrayList<>(0);
        List<String> notes = new ArrayList<>(0);
        for (PlannedReference p : prepared.references) {
            judge.judge(p, prepared.rules, prepared.excludedRules, facts, violations, notes, null);
        }
        return DecisionBuilder.build(prepared.input, displayName(prepared.input), violations, notes);
    }

    /** A decision with the steps that led to it, one trace per planned reference, in the request's order. */
    public record Explanation(Decision decision, List<ReferenceTrace> references) {
    }

    /**
     * {@link #decide(PreparedRequest, ImageFacts)} recording each step: the same judge, the same rules, the
     * same decision; only the first failing condition of a rule no longer ends its evaluation, so that every
     * condition can be shown. For {@code explain} and {@code test}, never for admissions.
     */
    public Explanation explain(PreparedRequest prepared, ImageFacts facts) {
        if (prepared.answered() != null) {
            return new Explanation(prepared.answered(), List.of());
        }
        List<Violation> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ReferenceTrace> traces = new ArrayList<>(prepared.references.size());
        for (PlannedReference p : prepared.references) {
            ReferenceTrace.Recorder recorder = new ReferenceTrace.Recorder(p);
            int before = violations.size();
            judge.judge(p, prepared.rules, prepared.excludedRules, facts, violations, notes, recorder);
            traces.add(recorder.build(violations.subList(before, violations.size())));
        }
        return new Explanation(DecisionBuilder.build(prepared.input, displayName(prepared.input), violations, notes), List.copyOf(traces));
    }

    /** The decision plus, when allowed, the patch pinning resolved images ({@code /mutate}). */
    public record Mutation(Decision decision, byte[] patch) {
    }

    public Mutation mutate(PreparedRequest prepared, ImageFacts facts) {
        Decision decision = decide(prepared, facts);
        return new Mutation(decision, Pinning.patch(prepared, facts, decision));
    }

    /**
     * The image references of a request's object, as {@link #prepare} would visit them (the UPDATE rule
     * included), whether or not this policy covers the resource: reports list skipped references too.
     *
     * @return {@code null} when the resource carries no images the engine knows of
     * @throws MalformedObjectException when the object's spec cannot be read
     */
    public static List<ImageField> imageFields(AdmissionInput in) throws MalformedObjectException {
        if (in.object() == null || !in.object().isObject()) {
            return null;
        }
        if (Resources.IMPORTING.contains(in.resource())) {
            return ImportCheck.fields(in).stream().map(ImportCheck.ImportField::field).toList();
        }
        boolean ephemeral = in.isUpdate() && in.resource().equals(Resources.PODS) && "ephemeralcontainers".equals(in.subResource());
        return ephemeral ? ReferenceExtractor.ephemeral(in.object(), in.oldObject())
                : ReferenceExtractor.extract(in.resource(), in.object(), in.oldObject(), in.isUpdate());
    }

    static boolean controllerOwned(JsonNode object) {
        for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static String displayName(AdmissionInput in) {
        if (in.name() != null && !in.name().isEmpty()) {
            return in.name();
        }
        JsonNode meta = in.object() == null ? null : in.object().path("metadata");
        if (meta != null && meta.path("name").isTextual()) {
            return meta.path("name").textValue();
        }
        return meta != null && meta.path("generateName").isTextual() ? meta.path("generateName").textValue() : "";
    }

    /** The strongest enforcement among violations, or {@code null} when there are none. */
    static Enforcement strongest(List<Violation> violations) {
        Enforcement e = null;
        for (Violation v : violations) {
            e = e == null ? v.enforcement() : Enforcement.strongest(e, v.enforcement());
        }
        return e;
    }
}
