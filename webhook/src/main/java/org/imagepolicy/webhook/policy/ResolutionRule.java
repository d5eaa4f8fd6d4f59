package org.imagepolicy.webhook.policy;

/** One {@code resolutionRules} entry: {@code resource: "*"} covers every resource of the group. */
public record ResolutionRule(GroupResource targetResource, ResolutionType policy, boolean localNames) {
    public boolean covers(GroupResource gr) {
        return targetResource.group().equals(gr.group())
                && (targetResource.resource().equals("*") || targetResource.resource().equals(gr.resource()));
    }
}
