package org.imagepolicy.webhook.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImageField;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.MalformedObjectException;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;
import org.imagepolicy.webhook.server.RequestContext;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.ObjectResult;

/**
 * Judges objects with the engine {@code /validate} runs, in batches: a batch's objects are prepared, the
 * lookups of all of them (as the webhook asks its resolver: image stream references and the image API's
 * names included) are gathered at once (so a cold run asks registries in parallel), then
 * each is decided and handed on in input order. With an old engine too ({@code diff}), both policies
 * judge every object on the same facts and the result says how each verdict moved.
 */
final class Auditor {
    /** Where judged objects and problems go, in input order. */
    interface Results {
        void object(ObjectResult result) throws IOException;

        void problem(InputProblem problem) throws IOException;
    }

    static final int BATCH = 512;

    private final ImagePolicyEngine engine;
    private final ImagePolicyEngine previous;
    private final LookupGatherer gatherer;
    private final Results results;
    private final RunTally tally;
    private final List<Object> pending = new ArrayList<>(BATCH);
    private final RequestContext context;

    /** @param previous the old policy's engine for {@code diff}, {@code null} for {@code audit} */
    Auditor(ImagePolicyEngine engine, ImagePolicyEngine previous, LookupGatherer gatherer, Results results, RunTally tally) {
        this(engine, previous, gatherer, results, tally, RequestContext.NONE);
    }

    /**
     * @param context what the webhook would add to each object's request: its namespace's exempted rules
     *     and its own pull credentials ({@code audit --cluster}); {@link RequestContext#NONE} for files
     */
    Auditor(ImagePolicyEngine engine, ImagePolicyEngine previous, LookupGatherer gatherer, Results results, RunTally tally,
            RequestContext context) {
        this.context = context;
        this.engine = engine;
        this.previous = previous;
        this.gatherer = gatherer;
        this.results = results;
        this.tally = tally;
    }

    void object(AuditObject object) throws IOException {
        if (!object.supported()) {
            tally.objectsUnsupported++;
            return;
        }
        pending.add(object);
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    void problem(InputProblem problem) throws IOException {
        tally.problems++;
        pending.add(problem);
    }

    void flush() throws IOException {
        List<Judging> batch = new ArrayList<>(pending.size());
        // Grouped by credentials, as the webhook would ask with each object's own; one group for files.
        Map<String, Asking> lookups = new LinkedHashMap<>();
        for (Object item : pending) {
            if (item instanceof AuditObject) {
                Judging j = prepare((AuditObject) item);
                if (j != null) {
                    batch.add(j);
                    Set<ImageLookup> group = lookups.computeIfAbsent(LookupGatherer.key(j.credentials),
                            k -> new Asking(j.credentials, new LinkedHashSet<>())).lookups;
                    group.addAll(j.prepared.lookups());
                    if (j.previous != null) {
                        group.addAll(j.previous.lookups());
                    }
                }
            }
        }
        lookups.values().forEach(a -> gatherer.gather(a.lookups, a.credentials));
        int next = 0;
        for (Object item : pending) {
            if (item instanceof InputProblem) {
                results.problem((InputProblem) item);
            } else if (next < batch.size() && batch.get(next).object == item) {
                ObjectResult r = decide(batch.get(next++));
                tally.judged(r);
                results.object(r);
            }
        }
        pending.clear();
    }

    /** {@code null} when there is nothing to judge: the object carries no image reference. */
    private Judging prepare(AuditObject object) {
        Set<String> excluded = context.excludedRules(object.input());
        PreparedRequest now = engine.prepare(object.input(), excluded);
        List<ImageField> fields;
        if (now.answered() == null) {
            fields = now.fields(); // extracted once, by the engine's own plan
        } else {
            try {
                fields = ImagePolicyEngine.imageFields(object.input());
            } catch (MalformedObjectException e) {
                // the engine refuses it as unreadable (or skips it), and says why
                return new Judging(object, List.of(), now, previous == null ? null : previous.prepare(object.input(), excluded), null);
            }
        }
        if (fields == null && object.input().object().isObject()) {
            tally.objectsUnsupported++; // an AdmissionReview of a resource without images (namespaces, configmaps)
            return null;
        }
        if (fields == null || fields.isEmpty()) {
            tally.objectsWithoutImages++; // includes a DELETE's review, which carries no object
            return null;
        }
        PreparedRequest then = previous == null ? null : previous.prepare(object.input(), excluded);
        boolean looksUp = !now.lookups().isEmpty() || then != null && !then.lookups().isEmpty();
        return new Judging(object, fields, now, then, looksUp ? context.credentials(object.input()) : null);
    }

    private ObjectResult decide(Judging j) {
        ImageFacts facts = gatherer.factsFor(j.prepared, j.credentials);
        Decision now = engine.decide(j.prepared, facts);
        ObjectResult after = OutcomeMapper.map(j.object, engine, j.fields, now, facts);
        if (previous == null) {
            return after;
        }
        ImageFacts before = gatherer.factsFor(j.previous, j.credentials);
        Decision then = previous.decide(j.previous, before);
        return VerdictChange.compare(OutcomeMapper.map(j.object, previous, j.fields, then, before), after);
    }

    /** The images one set of credentials asks about in a batch. */
    private record Asking(PullCredentials credentials, Set<ImageLookup> lookups) {
    }

    private record Judging(AuditObject object, List<ImageField> fields, PreparedRequest prepared, PreparedRequest previous,
            PullCredentials credentials) {
    }
}
