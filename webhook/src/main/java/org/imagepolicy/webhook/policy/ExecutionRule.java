package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.RepositoryPattern;

/**
 * One {@code executionRules} entry after defaulting: an allow rule ({@code reject: false}) or a deny rule,
 * its resources, and its conditions, which are ANDed and then inverted by {@code invertMatch}.
 * {@code matchRepositories} and {@code enforcement} are this project's additions.
 */
public record ExecutionRule(
        String name,
        boolean reject,
        List<GroupResource> onResources,
        boolean ignoreNamespaceOverride,
        boolean invertMatch,
        boolean matchIntegratedRegistry,
        List<HostPattern> matchRegistries,
        List<RepositoryPattern> matchRepositories,
        boolean skipOnResolutionFailure,
        List<ValueCondition> matchDockerImageLabels,
        List<LabelSelector> matchImageLabels,
        List<ValueCondition> matchImageAnnotations,
        Enforcement enforcement) {

    public ExecutionRule {
        onResources = List.copyOf(onResources);
        matchRegistries = List.copyOf(matchRegistries);
        matchRepositories = List.copyOf(matchRepositories);
        matchDockerImageLabels = List.copyOf(matchDockerImageLabels);
        matchImageLabels = List.copyOf(matchImageLabels);
        matchImageAnnotations = List.copyOf(matchImageAnnotations);
    }

    /** True when the rule reads image metadata, which only a resolved image has. */
    public boolean needsMetadata() {
        return !matchDockerImageLabels.isEmpty() || !matchImageLabels.isEmpty() || !matchImageAnnotations.isEmpty();
    }

    /** The rule for a person: its name, kind and conditions, e.g. {@code allow rule "trusted" (matchRegistries [docker.io])}. */
    public String describe() {
        List<String> conditions = new ArrayList<>();
        if (matchIntegratedRegistry) {
            conditions.add("matchIntegratedRegistry");
        }
        if (!matchRegistries.isEmpty()) {
            conditions.add("matchRegistries " + matchRegistries);
        }
        if (!matchRepositories.isEmpty()) {
            conditions.add("matchRepositories " + matchRepositories);
        }
        if (!matchDockerImageLabels.isEmpty()) {
            conditions.add("matchDockerImageLabels " + matchDockerImageLabels);
        }
        if (!matchImageLabels.isEmpty()) {
            conditions.add("matchImageLabels " + matchImageLabels);
        }
        if (!matchImageAnnotations.isEmpty()) {
            conditions.add("matchImageAnnotations " + matchImageAnnotations);
        }
        String what = conditions.isEmpty() ? "any image" : String.join(", ", conditions);
        return (reject ? "deny" : "allow") + " rule \"" + name + "\" (" + (invertMatch ? "not " : "") + what + ")";
    }
}
