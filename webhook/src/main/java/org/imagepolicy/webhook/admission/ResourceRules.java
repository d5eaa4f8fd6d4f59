package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.policy.ExecutionRule;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.ResolutionRule;
import org.imagepolicy.webhook.policy.Resources;

/**
 * What the policy says about one resource, computed once per policy load: its execution rules in
 * config order, whether it is default-deny (any allow rule makes it so), and whether its images are
 * resolved.
 */
record ResourceRules(
        GroupResource resource,
        List<ExecutionRule> rules,
        boolean defaultReject,
        Enforcement allowEnforcement,
        List<ExecutionRule> allowRules,
        boolean coveredByResolution,
        boolean requestsResolution,
        boolean rewriteOnCreate,
        boolean rewriteOnUpdate,
        boolean rewriteLocalOnCreate,
        boolean rewriteLocalOnUpdate,
        CandidateRules candidates) {

    /** Upstream's RewriteImagePullSpec for one answer: a local name resolved through an image stream also counts covering rules' localNames. */
    boolean rewrites(boolean localRewrite, boolean update) {
        return localRewrite ? (update ? rewriteLocalOnUpdate : rewriteLocalOnCreate) : (update ? rewriteOnUpdate : rewriteOnCreate);
    }

    /** Whether any answer could be rewritten. */
    boolean mayRewrite(boolean update) {
        return rewrites(false, update) || rewrites(true, update);
    }

    boolean coveredByExecution() {
        return !rules.isEmpty();
    }

    boolean covered() {
        return coveredByExecution() || coveredByResolution;
    }

    /** Upstream's RewriteImagePullSpec for a name that is not a local image stream name: covering rules decide, else the global mode. */
    private static boolean rewrites(ImagePolicy policy, GroupResource gr) {
        boolean covered = false;
        for (ResolutionRule r : policy.resolutionRules()) {
            if (r.covers(gr)) {
                if (r.policy().rewrite()) {
                    return true;
                }
                covered = true;
            }
        }
        return !covered && policy.resolveImages().rewrite();
    }

    /** The same for a local name resolved through an image stream (LocalRewrite): a covering rule with localNames rewrites it too. */
    private static boolean rewritesLocal(ImagePolicy policy, GroupResource gr) {
        boolean covered = false;
        for (ResolutionRule r : policy.resolutionRules()) {
            if (r.covers(gr)) {
                if (r.localNames() || r.policy().rewrite()) {
                    return true;
                }
                covered = true;
            }
        }
        return !covered && policy.resolveImages().rewrite();
    }

    static Map<GroupResource, ResourceRules> index(ImagePolicy policy) {
        return index(policy, true);
    }

    /** @param indexRules whether to index the rules by name (else every rule is a candidate: the plain scan) */
    static Map<GroupResource, ResourceRules> index(ImagePolicy policy, boolean indexRules) {
        Map<GroupResource, ResourceRules> index = new HashMap<>();
        for (GroupResource gr : Resources.IMAGE_BEARING) {
            List<ExecutionRule> rules = new ArrayList<>();
            List<ExecutionRule> allow = new ArrayList<>();
            Enforcement allowEnforcement = null;
            for (ExecutionRule rule : policy.executionRules()) {
                if (rule.onResources().contains(gr)) {
                    rules.add(rule);
                    if (!rule.reject()) {
                        allow.add(rule);
                        allowEnforcement = allowEnforcement == null ? rule.enforcement()
                                : Enforcement.strongest(allowEnforcement, rule.enforcement());
                    }
                }
            }
            boolean byResolution = false;
            for (ResolutionRule r : policy.resolutionRules()) {
                byResolution |= r.covers(gr);
            }
            // Upstream: resolution is requested by the global mode or by any covering rule, whatever its own policy says.
            boolean requests = policy.resolveImages().requestsResolution() || byResolution;
            boolean rewrite = rewrites(policy, gr);
            boolean rewriteLocal = rewritesLocal(policy, gr);
            // Jobs and Builds are immutable: pinning them on UPDATE would make every update fail.
            boolean immutable = gr.equals(Resources.JOBS) || gr.equals(Resources.BUILDS);
            index.put(gr, new ResourceRules(gr, List.copyOf(rules), !allow.isEmpty(),
                    allowEnforcement == null ? Enforcement.Deny : allowEnforcement, List.copyOf(allow), byResolution, requests,
                    requests && rewrite, requests && rewrite && !immutable, requests && rewriteLocal, requests && rewriteLocal && !immutable,
                    indexRules ? CandidateRules.index(rules) : CandidateRules.scan(rules)));
        }
        return Map.copyOf(index);
    }
}
