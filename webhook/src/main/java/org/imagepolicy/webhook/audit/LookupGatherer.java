package org.imagepolicy.webhook.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.ImageResolver;

/**
 * Registry facts for a run: each distinct image is looked up once (through the resolver, so its cache,
 * coalescing, gates and credentials are serve's), and remembered for the rest of the run so one image
 * gets one verdict throughout a report. Memory grows with distinct images, never with objects.
 */
final class LookupGatherer {
    /** Lookups sent together; each group gets the whole lookup timeout, so a long cold run cannot starve its tail. */
    private static final int GROUP = 64;

    private final ImageResolver resolver;
    private final Duration timeout;
    private final Map<ImageLookup, Resolution> known = new HashMap<>();

    /** @param resolver {@link ImageResolver#OFFLINE} to look nothing up */
    LookupGatherer(ImageResolver resolver, Duration timeout) {
        this.resolver = resolver;
        this.timeout = timeout;
    }

    private int resolved;

    /** Distinct images resolved so far in this run (from a registry or the cache); failed and offline lookups do not count. */
    int resolved() {
        return resolved;
    }

    /** Resolves what the run does not know yet; blocks (never on an event loop: the audit runs on the main thread). */
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
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return resolver.resolve(List.copyOf(group), deadline).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return failAll(group, "the lookup did not finish: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failAll(group, "interrupted");
        }
    }

    private static Map<ImageLookup, Resolution> failAll(List<ImageLookup> group, String reason) {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : group) {
            out.put(l, new Resolution.Failed(reason));
        }
        return out;
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
