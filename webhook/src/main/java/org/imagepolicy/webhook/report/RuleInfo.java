package org.imagepolicy.webhook.report;

/**
 * One rule of the policy as reports describe it (SARIF rules, HTML legend, PolicyReport policy names).
 *
 * @param kind        {@code allow}, {@code deny} or {@code resolution}
 * @param enforcement {@code Deny}, {@code Warn} or {@code Audit}
 * @param description a sentence saying what the rule matches, from its conditions
 * @param help        what someone whose image this rule stops should do
 */
public record RuleInfo(String name, String kind, String enforcement, String description, String help) {
}
