package org.imagepolicy.webhook.admission;

/**
 * One condition of one rule, as the judge evaluated it for one image, for {@code explain}.
 *
 * @param condition the condition as the policy wrote it, e.g. {@code matchRegistries [docker.io, quay.io]}
 * @param held      whether it held (before {@code invertMatch}, which applies to the rule as a whole)
 * @param detail    why, in terms of the image: which pattern matched what, which label had which value
 */
public record ConditionCheck(String condition, boolean held, String detail) {
}
