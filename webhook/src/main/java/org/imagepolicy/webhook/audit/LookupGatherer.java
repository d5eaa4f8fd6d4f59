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
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/**
 * Registry facts for a run: each distinct image is looked up once (through serve's resolver, so its cache,
 * coalescing, gates and credentials), and remembered for the rest of the run so one image
 * gets one verdict throughout a report. Memory grows with distinct images, never with objects. With
 * per-object credentials ({@code audit --cluster}) an image is remembered once per set of credentials
 * that asked for it, as the webhook's cache keeps it apart per tenant: one namespace's private read
 * never answers for another's object.
 */
final class LookupGatherer {
    /** Lookups sent together; each group gets the whole lookup timeout, so a long cold run cannot starve its tail. */
    private static final int GROUP = 64;

    private final Lookups lookups;
    private final Map<Asked, Resolution> known = new HashMap<>();

    /** An image asked about with a set of credentials ({@code ""} for the global ones, as files are audited). */
    private record Asked(String credentials, ImageLookup lookup) {
    }

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
        gather(lookups, null);
    }

    /** The same with one set of credentials; {@code null} for the global ones. */
    void gather(Collection<ImageLookup> lookups, PullCredentials credentials) {
        String key = key(credentials);
        Set<ImageLookup> missing = new LinkedHashSet<>();
        for (ImageLookup l : lookups) {
            ImageLookup asked = asked(l);
            if (!known.containsKey(new Asked(key, asked))) {
                missing.add(asked);
            }
        }
        List<ImageLookup> all = new ArrayList<>(missing);
        for (int from = 0; from < all.size(); from += GROUP) {
            List<ImageLookup> group = all.subList(from, Math.min(all.size(), from + GROUP));
            Map<ImageLookup, Resolution> answers = resolve(group, credentials);
            for (Map.Entry<ImageLookup, Resolution> a : answers.entrySet()) {
                resolved += a.getValue() instanceof Resolution.Resolved ? 1 : 0;
                known.put(new Asked(key, a.getKey()), a.getValue());
            }
        }
    }

    /**
     * What tells credentials apart: their identity (a digest of the secrets' content, never a secret) and
     * the notes a failure carries ("pull secret team-a/regcred not found"), which differ between objects
     * whose usable credentials are the same.
     */
    static String key(PullCredentials credentials) {
        return credentials == null ? "" : "c:" + credentials.identity() + "\n" + String.join("\n", credentials.notes());
    }

    private Map<ImageLookup, Resolution> resolve(List<ImageLookup> group, PullCredentials credentials) {
        Map<ImageLookup, Resolution> answers = new HashMap<>(credentials == null ? lookups.resolve(List.copyOf(group))
                : lookups.resolve(List.copyOf(group), credentials));
        for (ImageLookup l : group) {
            answers.putIfAbsent(l, new Resolution.Failed("no answer for " + l));
        }
        return answers;
    }

    /**
     * How an image is asked about: with the image API's names when the source reads them; else as a registry
     * sees it, so one answer serves every namespace (image stream references keep theirs: a registry source
     * answers them with the reason it cannot).
     */
    private ImageLookup asked(ImageLookup l) {
        return lookups.readsClusterNames() || l.reference() == null ? l : l.registryOnly();
    }

    /** The facts one prepared request asked for, read back as the webhook reads its resolver's answers. */
    ImageFacts factsFor(PreparedRequest prepared) {
        return factsFor(prepared, null);
    }

    /** The same, as the credentials the lookups were gathered with found them. */
    ImageFacts factsFor(PreparedRequest prepared, PullCredentials credentials) {
        String key = key(credentials);
        List<ImageLookup> wanted = prepared.lookups();
        if (wanted.isEmpty()) {
            return ImageFacts.OFFLINE;
        }
        Map<ImageLookup, Resolution> answers = new HashMap<>();
        for (ImageLookup l : wanted) {
            Resolution r = known.get(new Asked(key, asked(l)));
            if (r != null) {
                answers.put(l, r);
            }
        }
        return prepared.facts(answers, new Resolution.Failed("no lookup was made for this image"));
    }
}
