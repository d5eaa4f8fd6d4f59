package org.imagepolicy.webhook.report;

import java.time.Instant;
import java.util.List;

/**
 * What a report is about, known before the first object.
 *
 * @param command     {@code audit} or {@code diff}
 * @param policy      the policy path as given ({@code diff}: the new policy)
 * @param oldPolicy   {@code diff} only: the old policy path; {@code null} in an audit
 * @param rules       the policy's rules, in policy order ({@code diff}: both policies' rules, by name)
 * @param toolVersion e.g. {@code image-policy-webhook 0.1.0}
 */
public record RunInfo(String command, String policy, String oldPolicy, List<RuleInfo> rules, Instant startedAt,
        String toolVersion) {
}
