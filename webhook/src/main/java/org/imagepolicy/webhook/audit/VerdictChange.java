package org.imagepolicy.webhook.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.imagepolicy.webhook.report.Causes;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReferenceResult.Change;

/** How one object's verdict moved from the old policy to the new one, reference by reference. */
final class VerdictChange {
    private VerdictChange() {
    }

    static ObjectResult compare(ObjectResult before, ObjectResult after) {
        Map<String, ReferenceResult> old = new HashMap<>();
        for (ReferenceResult r : before.references()) {
            old.put(r.fieldPath(), r);
        }
        List<ReferenceResult> refs = new ArrayList<>(after.references().size());
        for (ReferenceResult now : after.references()) {
            ReferenceResult prev = old.get(now.fieldPath());
            Change change = prev == null ? Change.UNCHANGED : change(prev, now);
            refs.add(new ReferenceResult(now.fieldPath(), now.container(), now.image(), now.location(), now.outcome(), now.rule(),
                    now.message(), change, prev));
        }
        return new ObjectResult(after.location(), after.object(), after.operation(), refs,
                after.error() != null ? after.error() : before.error());
    }

    static Change change(ReferenceResult prev, ReferenceResult now) {
        boolean deniedBefore = prev.outcome() == Outcome.FAIL;
        boolean deniedNow = now.outcome() == Outcome.FAIL;
        if (!deniedBefore && deniedNow && prev.outcome() != Outcome.ERROR) {
            return Change.NEWLY_DENIED;
        }
        if (deniedBefore && !deniedNow && now.outcome() != Outcome.ERROR) {
            return Change.NEWLY_ALLOWED;
        }
        // Rule-less messages list the policy's allow rules, so an edit changes their text without changing the reason.
        if (prev.outcome() != now.outcome() || !Objects.equals(Causes.of(prev), Causes.of(now))) {
            return Change.REASON_CHANGED;
        }
        return Change.UNCHANGED;
    }
}
