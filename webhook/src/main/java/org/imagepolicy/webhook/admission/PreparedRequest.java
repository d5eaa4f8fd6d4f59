package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.ImageLookup;

/**
 * A request between the two halves of a decision: either already answered (skipped, unreadable), or
 * its references planned, with the registry lookups the decision needs listed for the caller to gather.
 */
public final class PreparedRequest {
    final AdmissionInput input;
    final Set<String> excludedRules;
    final ResourceRules rules;
    final List<PlannedReference> references;
    private final Decision answered;

    private PreparedRequest(AdmissionInput input, Set<String> excludedRules, ResourceRules rules, List<PlannedReference> references,
            Decision answered) {
        this.input = input;
        this.excludedRules = excludedRules;
        this.rules = rules;
        this.references = references;
        this.answered = answered;
    }

    static PreparedRequest answered(AdmissionInput input, Decision decision) {
        return new PreparedRequest(input, Set.of(), null, List.of(), decision);
    }

    static PreparedRequest planned(AdmissionInput input, Set<String> excludedRules, ResourceRules rules, List<PlannedReference> refs) {
        return new PreparedRequest(input, excludedRules, rules, refs, null);
    }

    public AdmissionInput input() {
        return input;
    }

    /** The decision when no facts are needed to reach it, else {@code null}. */
    public Decision answered() {
        return answered;
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
}
