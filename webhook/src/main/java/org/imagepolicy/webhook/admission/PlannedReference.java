package org.imagepolicy.webhook.admission;

import org.imagepolicy.webhook.image.ImageReference;

/**
 * One reference after the gather step: parsed once, matched against the registry names once, and
 * marked with whether a registry lookup could change its decision.
 *
 * @param reference  the parsed image, or {@code null} for image stream references and unparseable strings
 * @param parseError the parser's reason when the string is not an image reference, else {@code null}
 * @param lookup     whether to ask for facts about it before deciding
 * @param pin        whether {@code /mutate} rewrites it to its digest, when it resolves
 */
public record PlannedReference(ImageField field, ImageReference reference, String parseError, String registryKey,
        String repository, boolean integrated, boolean lookup, boolean pin) {

    PlannedReference withLookup(boolean lookup, boolean pin) {
        return new PlannedReference(field, reference, parseError, registryKey, repository, integrated, lookup, pin);
    }

    /** A lookup that goes to a registry (image stream references never do). */
    public boolean registryLookup() {
        return lookup && reference != null;
    }
}
