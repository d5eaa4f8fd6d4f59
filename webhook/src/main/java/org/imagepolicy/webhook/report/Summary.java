package org.imagepolicy.webhook.report;

import java.util.Map;

/**
 * The run's counts. They add up: every document read is empty, or holds objects each exactly one of judged,
 * without images or unsupported, or is a problem; every file is read or failed.
 *
 * @param filesRead           files that parsed (all or some of their documents)
 * @param filesFailed         files that did not parse at all
 * @param objectsJudged       supported objects that carry at least one image reference
 * @param objectsWithoutImages supported objects with no image reference
 * @param objectsUnsupported  objects of kinds the webhook does not judge
 * @param documentsEmpty      YAML documents with nothing in them (a trailing {@code ---}, only comments): nothing to judge
 * @param references          reference count per outcome (every outcome present, zero when none)
 * @param imagesResolved      distinct images the run resolved, from registries or the cache (an image counts once per run;
 *                            failed and offline lookups do not count)
 */
public record Summary(int filesRead, int filesFailed, int objectsJudged, int objectsWithoutImages, int objectsUnsupported,
        int documentsEmpty, Map<Outcome, Integer> references, int imagesResolved, long elapsedMillis) {
}
