package org.imagepolicy.webhook.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.policy.ExecutionRule;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.report.RuleInfo;

/** A policy's rules as reports describe them; for a diff, the new policy's rules then those only the old one has. */
public final class RuleCatalog {
    private RuleCatalog() {
    }

    public static List<RuleInfo> of(ImagePolicy policy, ImagePolicy old) {
        Map<String, RuleInfo> rules = new LinkedHashMap<>();
        for (ImagePolicy p : old == null ? List.of(policy) : List.of(policy, old)) {
            for (ExecutionRule r : p.executionRules()) {
                rules.putIfAbsent(r.name(), info(r));
            }
        }
        return new ArrayList<>(rules.values());
    }

    private static RuleInfo info(ExecutionRule r) {
        String help = r.reject() ? "use an image this rule does not match, or ask the policy owners for an exception"
                : "use an image this rule allows, or ask the policy owners for a rule that allows yours";
        return new RuleInfo(r.name(), r.reject() ? "deny" : "allow", r.enforcement().name(), r.describe(), help);
    }
}
