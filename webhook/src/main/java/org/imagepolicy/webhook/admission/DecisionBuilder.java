package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.policy.Enforcement;

/** Turns a request's violations into the answer: a denial listing every reason, warnings, audit notes. */
final class DecisionBuilder {
    /** References listed in a denial's message, and causes in its details; the count of the rest is given. */
    static final int MAX_LISTED = 50;

    private DecisionBuilder() {
    }

    /** @param notes things the client should know even when nothing was violated, such as stale registry data */
    static Decision build(AdmissionInput in, String name, List<Violation> violations, List<String> notes) {
        if (violations.isEmpty()) {
            return new Decision(true, 200, null, List.of(), List.copyOf(notes), Map.of(),
                    notes.isEmpty() ? Decision.Outcome.ALLOWED : Decision.Outcome.WARNED);
        }
        List<String> denials = new ArrayList<>();
        List<String> warnings = new ArrayList<>(notes);
        List<String> audits = new ArrayList<>();
        for (Violation v : violations) {
            switch (v.enforcement()) {
                case Deny:
                    denials.add(v.forbiddenMessage());
                    break;
                case Warn:
                    warnings.add(v.field().path() + ": image policy warning: " + v.reason());
                    break;
                default:
                    audits.add(v.field().path() + ": " + v.reason());
                    break;
            }
        }
        Map<String, String> audit = audits.isEmpty() ? Map.of() : Map.of(Decision.AUDIT_ANNOTATION, String.join("; ", audits));
        Enforcement strongest = ImagePolicyEngine.strongest(violations);
        if (strongest == Enforcement.Deny) {
            // A message is read by a person; thousands of identical denials help nobody and can exceed what clients accept.
            List<String> shown = denials.size() > MAX_LISTED ? new ArrayList<>(denials.subList(0, MAX_LISTED)) : denials;
            if (denials.size() > MAX_LISTED) {
                shown.add("and " + (denials.size() - MAX_LISTED) + " more references denied for the same kinds of reasons");
            }
            String list = shown.size() == 1 ? shown.get(0) : "[" + String.join(", ", shown) + "]";
            String message = in.resource() + " \"" + name + "\" is forbidden: " + list;
            return new Decision(false, 403, message, List.copyOf(violations), List.copyOf(warnings), audit, Decision.Outcome.DENIED);
        }
        Decision.Outcome outcome = strongest == Enforcement.Warn ? Decision.Outcome.WARNED : Decision.Outcome.AUDITED;
        return new Decision(true, 200, null, List.copyOf(violations), List.copyOf(warnings), audit, outcome);
    }
}
