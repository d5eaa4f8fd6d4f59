package org.imagepolicy.webhook.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.CachedLookups;

/**
 * {@code --offline --cache-file}: registry facts from the cache file alone, never a registry. A tag's digest
 * is used while it is younger than {@code --tag-ttl}, as {@code serve}'s cache would use it; an image's
 * labels and annotations always (a digest cannot change). Anything the file does not answer fails with
 * "offline", as every lookup does without a cache file.
 */
public final class CacheFileLookups implements Lookups {
    private record TagKey(String registry, String repository, String tag) {
    }

    private record ImageKey(String registry, String repository, String digest) {
    }

    private final Map<TagKey, CachedLookups.Tag> tags = new HashMap<>();
    private final Map<ImageKey, CachedLookups.Image> images = new HashMap<>();
    private final Duration tagTtl;

    public CacheFileLookups(CachedLookups kept, Duration tagTtl) {
        this.tagTtl = tagTtl;
        for (CachedLookups.Tag t : kept.tags()) {
            tags.put(new TagKey(t.registry(), t.repository(), t.tag()), t);
        }
        for (CachedLookups.Image i : kept.images()) {
            images.put(new ImageKey(i.registry(), i.repository(), i.digest()), i);
        }
    }

    /** Entries read from the file, for the run's message. */
    public int size() {
        return tags.size() + images.size();
    }

    @Override
    public Map<ImageLookup, Resolution> resolve(List<ImageLookup> group) {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : group) {
            out.put(l, one(l));
        }
        return out;
    }

    private Resolution one(ImageLookup l) {
        if (l.registryKey().isEmpty()) {
            return Resolution.OFFLINE;
        }
        // the resolver keys its cache, and so the file, by the lower-case registry
        String registry = l.registryKey().toLowerCase(Locale.ROOT);
        String digest = l.digest();
        if (digest == null) {
            CachedLookups.Tag tag = tags.get(new TagKey(registry, l.repository(), l.tag()));
            if (tag == null) {
                return Resolution.OFFLINE;
            }
            if (tag.age().compareTo(tagTtl) >= 0) {
                return new Resolution.Failed("offline, and the cache file's digest of " + l + " was looked up " + tag.age().toSeconds()
                        + " s ago, longer than --tag-ttl " + tagTtl.toSeconds() + " s (a tag can move; give a longer --tag-ttl to use it)");
            }
            digest = tag.digest();
        }
        CachedLookups.Image image = images.get(new ImageKey(registry, l.repository(), digest));
        if (image == null) {
            return Resolution.OFFLINE;
        }
        return new Resolution.Resolved(new ImageMetadata(image.digest(), image.labels(), image.annotations()), false);
    }
}
