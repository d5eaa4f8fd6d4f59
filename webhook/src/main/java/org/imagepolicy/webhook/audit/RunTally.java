package org.imagepolicy.webhook.audit;

import java.util.EnumMap;
import java.util.Map;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.Summary;

/** The run's counts as they accumulate; {@link #summary} freezes them. */
final class RunTally {
    int filesRead;
    int filesFailed;
    int objectsJudged;
    int objectsWithoutImages;
    int objectsUnsupported;
    /** YAML documents with nothing in them: a trailing {@code ---}, a document of comments only. */
    int documentsEmpty;
    int problems;
    /** Objects the engine could not read at all ({@link ObjectResult#error()}): /validate refuses them. */
    int objectErrors;
    int newlyDenied;
    int newlyAllowed;
    int reasonChanged;
    private final Map<Outcome, Integer> references = new EnumMap<>(Outcome.class);
    /** {@code diff}: references whose verdict moved, by the outcome they moved to. */
    private final Map<Outcome, Integer> changedTo = new EnumMap<>(Outcome.class);

    RunTally() {
        for (Outcome o : Outcome.values()) {
            references.put(o, 0);
        }
    }

    void judged(ObjectResult result) {
        objectsJudged++;
        if (result.error() != null) {
            objectErrors++;
        }
        for (ReferenceResult r : result.references()) {
            references.merge(r.outcome(), 1, Integer::sum);
            if (r.change() != null && r.change() != ReferenceResult.Change.UNCHANGED) {
                changedTo.merge(r.outcome(), 1, Integer::sum);
                switch (r.change()) {
                    case NEWLY_DENIED -> newlyDenied++;
                    case NEWLY_ALLOWED -> newlyAllowed++;
                    case REASON_CHANGED -> reasonChanged++;
                    default -> {
                    }
                }
            }
        }
    }

    int count(Outcome o) {
        return references.get(o);
    }

    Map<Outcome, Integer> changedTo() {
        return Map.copyOf(changedTo);
    }

    int objectsSeen() {
        return objectsJudged + objectsWithoutImages + objectsUnsupported;
    }

    Summary summary(int imagesResolved, long elapsedMillis) {
        return new Summary(filesRead, filesFailed, objectsJudged, objectsWithoutImages, objectsUnsupported, documentsEmpty, Map.copyOf(references),
                imagesResolved, elapsedMillis);
    }
}
