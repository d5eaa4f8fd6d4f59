package org.imagepolicy.webhook.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;

/**
 * Registry facts for a run: each distinct image is looked up once (through serve's resolver, so its cache,
 * coalescing, gates and credentials), and remembered for the rest of the run so one image
 * gets one verdict throughout a report. Memory grows with distinct images, never with objects.
 */
final class LookupGatherer {
    /** Lookups sent together; each group gets the whole lookup timeout, so a long cold run cannot starve its tail. */
    private static final int GROUP = 64;

    private final Lookups lookups;
    private final Map<ImageLookup, Resolution> known = new HashMap<>();

    /** @param lookups {@link Lookups#OFFLINE} to look nothing up */
    LookupGatherer(Lookups lookups) {
        this.lookups = lookups;
    }

    private int resolved;

    /** Distinct images resolved so far in this run (from a registry or the cache); failed and offline lookups do not count. */
    int resolved() {
        return resolved;
    }

    /** Resolves what the run does not know yet, a group at a time; blocks (the audit runs on the main thread, no event loop). */
    void gather(Collection<ImageLookup> lookups) {
        Set<ImageLookup> missing = new LinkedHashSet<>();
        for (ImageLookup l : lookups) {
            if (!known.containsKey(l)) {
                missing.add(l);
            }
        }
        List<ImageLookup> all = new ArrayList<>(missing);
        for (int from = 0; from < all.size(); from += GROUP) {
            List<ImageLookup> group = all.subList(from, Math.min(all.size(), from + GROUP));
            Map<ImageLookup, Resolution> answers = resolve(group);
            for (Resolution r : answers.values()) {
                resolved += r instanceof Resolution.Resolved ? 1 : 0;
            }
            known.putAll(answers);
        }
    }

    private Map<ImageLookup, Resolution> resolve(List<ImageLookup> group) {
        Map<ImageLookup, Resolution> answers = new HashMap<>(lookups.resolve(List.copyOf(group)));
        for (ImageLookup l : group) {
            answers.putIfAbsent(l, new Resolution.Failed("no answer for " + l));
        }
        return answers;
    }

    /** The facts one prepared request asked for, keyed as the engine asks (by reference). */
    ImageFacts factsFor(PreparedRequest prepared) {
        List<ImageLookup> lookups = prepared.registryLookups();
        if (lookups.isEmpty()) {
            return ImageFacts.OFFLINE;
        }
        Map<ImageReference, Resolution> byReference = new HashMap<>();
        for (ImageLookup l : lookups) {
            byReference.put(l.reference(), known.getOrDefault(l, new Resolution.Failed("no lookup was made for this image")));
        }
        return (field, reference) -> byReference.getOrDefault(reference, Resolution.OFFLINE);
    }
}
