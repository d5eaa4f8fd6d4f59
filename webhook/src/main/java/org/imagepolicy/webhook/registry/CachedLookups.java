package org.imagepolicy.webhook.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The resolver cache's answers, to be kept between runs ({@code audit --cache-file}): tag digests with
 * their age, so a restored tag honours its time to live as if it had never left memory, and each digest's
 * metadata, which cannot change. Failures are never kept.
 */
public record CachedLookups(List<Tag> tags, List<Image> images) {
    public CachedLookups {
        tags = List.copyOf(tags);
        images = List.copyOf(images);
    }

    public record Tag(String registry, String repository, String tag, String digest, Duration age) {
    }

    public record Image(String registry, String repository, String digest, Map<String, String> labels, Map<String, String> annotations) {
    }
}
