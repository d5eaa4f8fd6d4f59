package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImportPattern;
import org.imagepolicy.webhook.policy.PolicyFragment.Setting;

/**
 * Merges the files of a policy directory and applies OpenShift's defaulting and validation, in that
 * order, as the plug-in does at start-up.
 */
final class PolicyAssembler {

    /** The resources OpenShift 4 installs resolution rules for when a config gives none. */
    static final List<GroupResource> BUILT_IN_RESOLUTION_TARGETS = List.of(
            GroupResource.of("", "pods"),
            GroupResource.of("", "replicationcontrollers"),
            GroupResource.of("apps.openshift.io", "deploymentconfigs"),
            GroupResource.of("apps", "daemonsets"),
            GroupResource.of("apps", "deployments"),
            GroupResource.of("apps", "statefulsets"),
            GroupResource.of("apps", "replicasets"),
            GroupResource.of("build.openshift.io", "builds"),
            GroupResource.of("batch", "jobs"),
            GroupResource.of("batch", "cronjobs"),
            GroupResource.of("extensions", "daemonsets"),
            GroupResource.of("extensions", "deployments"),
            GroupResource.of("extensions", "replicasets"));

    private final Problems problems;

    PolicyAssembler(Problems problems) {
        this.problems = problems;
    }

    ImagePolicy assemble(List<PolicyFragment> fragments) {
        Setting<String> resolveImages = agree(fragments, PolicyFragment::resolveImages, "resolveImages");
        Setting<String> defaultRegistry = agree(fragments, PolicyFragment::defaultRegistry, "defaultRegistry");
        Setting<List<String>> searchRegistries = agree(fragments, PolicyFragment::unqualifiedSearchRegistries,
                "unqualifiedSearchRegistries");
        if (defaultRegistry != null && searchRegistries != null) {
            problems.error(searchRegistries.source(), searchRegistries.line(), searchRegistries.path(), "set either"
                    + " unqualifiedSearchRegistries or defaultRegistry (" + defaultRegistry.place() + "), not both:"
                    + " defaultRegistry: X means unqualifiedSearchRegistries: [X]");
        }
        Setting<Boolean> skipControllerOwned = agree(fragments, PolicyFragment::skipControllerOwned, "skipControllerOwned");
        ResolutionType global = resolveImages == null ? ResolutionType.Attempt : ResolutionType.fromName(resolveImages.value());

        List<Setting<ExecutionRule>> rules = new ArrayList<>();
        List<HostPattern> integrated = new ArrayList<>();
        Set<String> exempt = new LinkedHashSet<>();
        List<ImportPattern> imports = new ArrayList<>();
        Set<String> insecure = new LinkedHashSet<>();
        boolean anyResolutionRules = false;
        List<Setting<ResolutionRule>> givenResolutionRules = new ArrayList<>();
        for (PolicyFragment f : fragments) {
            rules.addAll(f.executionRules());
            integrated.addAll(f.integratedRegistryHostnames());
            exempt.addAll(f.exemptNamespaces());
            f.allowedRegistriesForImport().forEach(i -> imports.add(i.value()));
            insecure.addAll(f.insecureRegistries());
            if (f.resolutionRules() != null) {
                anyResolutionRules = true;
                givenResolutionRules.addAll(f.resolutionRules());
            }
        }
        checkNames(rules);
        checkMetadataNeedsResolution(global, rules);
        if (defaultRegistry == null && searchRegistries == null) {
            warnUnqualifiedUnjudged(rules);
        }

        List<ExecutionRule> executionRules = rules.stream().map(Setting::value).toList();
        List<ResolutionRule> resolutionRules = new ArrayList<>();
        if (!anyResolutionRules) {
            for (GroupResource target : BUILT_IN_RESOLUTION_TARGETS) {
                ResolutionType policy = coveredByExecutionRule(executionRules, target) ? global : ResolutionType.DoNotAttempt;
                resolutionRules.add(new ResolutionRule(target, policy, true));
            }
        } else {
            for (Setting<ResolutionRule> r : givenResolutionRules) {
                ResolutionRule rule = r.value();
                resolutionRules.add(rule.policy() != null ? rule : new ResolutionRule(rule.targetResource(), global, rule.localNames()));
            }
        }
        return new ImagePolicy(global, resolutionRules, executionRules, integrated,
                defaultRegistry == null ? null : defaultRegistry.value(), exempt,
                skipControllerOwned != null && skipControllerOwned.value(),
                searchRegistries == null ? List.of() : searchRegistries.value(), imports, List.copyOf(insecure));
    }

    /**
     * Upstream matches an unqualified image against no registry, so a deny rule never stops {@code nginx:1},
     * though the node pulls it from Docker Hub or from each of its unqualified-search registries in turn.
     */
    private void warnUnqualifiedUnjudged(List<Setting<ExecutionRule>> rules) {
        for (Setting<ExecutionRule> r : rules) {
            ExecutionRule rule = r.value();
            if (rule.reject() && !rule.invertMatch() && (!rule.matchRegistries().isEmpty() || !rule.matchRepositories().isEmpty())) {
                problems.warning(r.source(), r.line(), r.path(), "deny rule \"" + rule.name() + "\" never matches an image"
                        + " that names no registry (nginx:1), yet the node pulls such images from its search registries;"
                        + " add unqualifiedSearchRegistries: [...] listing the nodes' unqualified-search-registries"
                        + " (docker.io for containerd; OpenShift's containerRuntimeSearchRegistries), so they are judged"
                        + " against every registry that may serve them");
                return;
            }
        }
    }

    /** A setting given in more than one file must say the same thing everywhere; the error names both files. */
    private <T> Setting<T> agree(List<PolicyFragment> fragments, java.util.function.Function<PolicyFragment, Setting<T>> field,
            String name) {
        Setting<T> chosen = null;
        for (PolicyFragment f : fragments) {
            Setting<T> s = field.apply(f);
            if (s == null) {
                continue;
            }
            if (chosen == null) {
                chosen = s;
            } else if (!chosen.value().equals(s.value())) {
                problems.error(s.source(), s.line(), s.path(), name + " is " + s.value() + " here but " + chosen.value()
                        + " in " + chosen.place() + "; the files of one policy must agree, so set it in one file only");
            }
        }
        return chosen;
    }

    /** Upstream records every name, the empty one included, so a second unnamed rule is a duplicate. */
    private void checkNames(List<Setting<ExecutionRule>> rules) {
        Map<String, Setting<ExecutionRule>> seen = new HashMap<>();
        for (Setting<ExecutionRule> r : rules) {
            Setting<ExecutionRule> first = seen.putIfAbsent(r.value().name(), r);
            if (first != null) {
                String name = r.value().name();
                problems.error(r.source(), r.line(), r.path() + ".name", (name.isEmpty()
                        ? "a second execution rule without a name; give each rule a unique name"
                        : "duplicate rule name \"" + name + "\"; rule names must be unique") + " (first at " + first.place() + ")");
            }
        }
    }

    private void checkMetadataNeedsResolution(ResolutionType global, List<Setting<ExecutionRule>> rules) {
        if (global != ResolutionType.DoNotAttempt) {
            return;
        }
        for (Setting<ExecutionRule> r : rules) {
            if (r.value().needsMetadata()) {
                problems.error(r.source(), r.line(), r.path(), "this rule checks image labels or annotations, but resolveImages"
                        + " is DoNotAttempt, so images are never resolved and the condition would always fail;"
                        + " set resolveImages to Attempt or remove the label and annotation conditions");
            }
        }
    }

    private static boolean coveredByExecutionRule(List<ExecutionRule> rules, GroupResource target) {
        for (ExecutionRule rule : rules) {
            for (GroupResource gr : rule.onResources()) {
                if (gr.group().equals(target.group()) && (gr.resource().equals(target.resource()) || gr.resource().equals("*"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
