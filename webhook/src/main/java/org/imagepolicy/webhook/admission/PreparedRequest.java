package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.image.ClusterName;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;

/**
 * A request between the two halves of a decision: either already answered (skipped, unreadable), or
 * its references planned, with the registry lookups the decision needs listed for the caller to gather.
 */
public final class PreparedRequest {
    final AdmissionInput input;
    final Set<String> excludedRules;
    final ResourceRules rules;
    final List<PlannedReference> references;
    /** The object's resolve-names annotation: every name is looked up as a local image stream name. */
    final boolean forceLocal;
    private final Decision answered;

    private PreparedRequest(AdmissionInput input, Set<String> excludedRules, ResourceRules rules, List<PlannedReference> references,
            boolean forceLocal, Decision answered) {
        this.input = input;
        this.excludedRules = excludedRules;
        this.rules = rules;
        this.references = references;
        this.forceLocal = forceLocal;
        this.answered = answered;
    }

    static PreparedRequest answered(AdmissionInput input, Decision decision) {
        return new PreparedRequest(input, Set.of(), null, List.of(), false, decision);
    }

    static PreparedRequest planned(AdmissionInput input, Set<String> excludedRules, ResourceRules rules, List<PlannedReference> refs,
            boolean forceLocal) {
        return new PreparedRequest(input, excludedRules, rules, refs, forceLocal, null);
    }

    public AdmissionInput input() {
        return input;
    }

    /** The decision when no facts are needed to reach it, else {@code null}. */
    public Decision answered() {
        return answered;
    }

    /**
     * The image references planned, in the request's order, as {@link ImagePolicyEngine#imageFields} lists them;
     * empty when the request was answered without planning (then ask {@code imageFields}).
     */
    public List<ImageField> fields() {
        List<ImageField> out = new ArrayList<>(references.size());
        for (PlannedReference p : references) {
            out.add(p.field());
        }
        return out;
    }

    /** The distinct images to look up in registries before {@link ImagePolicyEngine#decide(PreparedRequest, ImageFacts)}. */
    public List<ImageLookup> registryLookups() {
        boolean any = false;
        for (PlannedReference p : references) {
            any |= p.registryLookup();
        }
        if (!any) {
            return List.of(); // the common case, on every request: allocate nothing
        }
        Set<ImageLookup> out = new LinkedHashSet<>();
        for (PlannedReference p : references) {
            if (p.registryLookup()) {
                out.add(ImageLookup.of(p.reference(), p.registryKey(), p.repository()));
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Every lookup the decision needs, each with the names the OpenShift image API would resolve it by
     * (namespace, kind, the resolve-names annotation): image stream references included, which only a
     * resolver that reads the image API can answer. Read the answers back with {@link #facts}.
     */
    public List<ImageLookup> lookups() {
        Set<ImageLookup> out = new LinkedHashSet<>();
        for (PlannedReference p : references) {
            ImageLookup l = lookupOf(p);
            if (l != null) {
                out.add(l);
            }
        }
        return out.isEmpty() ? List.of() : new ArrayList<>(out);
    }

    /** The facts for {@link ImagePolicyEngine#decide(PreparedRequest, ImageFacts)} from the answers to {@link #lookups()}. */
    public ImageFacts facts(Map<ImageLookup, Resolution> answers, Resolution missing) {
        Map<ImageField, Resolution> byField = new IdentityHashMap<>();
        for (PlannedReference p : references) {
            ImageLookup l = lookupOf(p);
            if (l != null) {
                byField.put(p.field(), answers.getOrDefault(l, missing));
            }
        }
        return (field, reference) -> byField.getOrDefault(field, missing);
    }

    private ImageLookup lookupOf(PlannedReference p) {
        if (!p.lookup()) {
            return null;
        }
        ImageField f = p.field();
        String namespace = f.namespace() == null || f.namespace().isEmpty() ? input.namespace() : f.namespace();
        if (p.reference() != null) {
            return ImageLookup.of(p.reference(), p.registryKey(), p.repository())
                    .withCluster(new ClusterName(ClusterName.DOCKER_IMAGE, namespace, f.name(), forceLocal));
        }
        if (p.parseError() == null && (ClusterName.IMAGE_STREAM_TAG.equals(f.kind()) || ClusterName.IMAGE_STREAM_IMAGE.equals(f.kind()))) {
            return ImageLookup.stream(new ClusterName(f.kind(), namespace, f.name(), false));
        }
        return null;
    }
}
