package org.imagepolicy.webhook.admission;

import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.policy.ExecutionRule;
import org.imagepolicy.webhook.policy.ImagePolicy;

/**
 * Decides, before anything is contacted, whether looking an image up could change its decision. A
 * reference already denied by registry or repository rules is never looked up, so an image string cannot
 * make the webhook call an address of the author's choosing; and a lookup whose answer no rule reads is
 * not made, so a policy of registry rules costs no registry traffic.
 */
final class LookupPlanner {
    private final ImagePolicy policy;

    LookupPlanner(ImagePolicy policy) {
        this.policy = policy;
    }

    boolean worthLookingUp(PlannedReference p, ResourceRules rr, Set<String> excluded) {
        if (!rr.requestsResolution()) {
            return false;
        }
        if (p.reference() == null) {
            return p.parseError() == null; // image stream references: answered without a registry
        }
        if (deniedWhateverTheImageSays(p, rr, excluded)) {
            return false;
        }
        if (policy.resolveImages().failOnResolutionFailure()) {
            return true; // Required: an unresolvable image is denied, so resolving is the check itself
        }
        for (int i : rr.candidates().readingResolution()) {
            ExecutionRule rule = rr.rules().get(i);
            if (active(rule, excluded) && (rule.needsMetadata() || rule.skipOnResolutionFailure())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code /mutate} may pin this reference: a tag (never a digest) or an image stream reference,
     * of a resource whose resolution rules ask for rewriting (or for rewriting local names, which only an
     * image stream answer is), on CREATE, or on UPDATE where the resource is not immutable. On UPDATE only
     * changed references reach here, so an unchanged template is never re-pinned and never drifts from
     * the replica sets and pods made from it. Whether it is pinned depends on the answer ({@link Pinning}).
     */
    boolean pinnable(PlannedReference p, ResourceRules rr, Set<String> excluded, boolean update) {
        if (p.parseError() != null || (p.reference() != null && p.reference().digest() != null)) {
            return false;
        }
        if (p.reference() == null && !"ImageStreamTag".equals(p.field().kind()) && !"ImageStreamImage".equals(p.field().kind())) {
            return false;
        }
        if (!rr.mayRewrite(update)) {
            return false;
        }
        return p.reference() == null || !deniedWhateverTheImageSays(p, rr, excluded);
    }

    private boolean deniedWhateverTheImageSays(PlannedReference p, ResourceRules rr, Set<String> excluded) {
        boolean someAllowRuleCanMatch = false;
        List<ExecutionRule> rules = rr.rules();
        // A rule left out cannot match by name: it denies nothing, and no allow rule of it can match.
        for (int i : rr.candidates().candidates(p.registryKey(), p.repository())) {
            ExecutionRule rule = rules.get(i);
            if (!active(rule, excluded)) {
                continue;
            }
            Boolean known = staticOutcome(rule, p);
            if (rule.reject()) {
                if (Boolean.TRUE.equals(known) && rule.enforcement() == Enforcement.Deny && !rule.skipOnResolutionFailure()) {
                    return true;
                }
            } else if (!Boolean.FALSE.equals(known)) {
                someAllowRuleCanMatch = true;
            }
        }
        return rr.defaultReject() && rr.allowEnforcement() == Enforcement.Deny && !someAllowRuleCanMatch;
    }

    /** Whether the rule matches, decided from names alone; {@code null} when it depends on the image's metadata. */
    private static Boolean staticOutcome(ExecutionRule rule, PlannedReference p) {
        boolean names = NameConditions.hold(rule, p);
        if (!names) {
            return rule.invertMatch(); // a failed name condition fails the whole AND, whatever the metadata says
        }
        if (rule.needsMetadata()) {
            return null;
        }
        return !rule.invertMatch();
    }

    private static boolean active(ExecutionRule rule, Set<String> excluded) {
        return !excluded.contains(rule.name()) || rule.ignoreNamespaceOverride();
    }
}
