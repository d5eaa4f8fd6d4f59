package org.imagepolicy.webhook.admission;

import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;

/**
 * What the engine knows about images when it decides. The engine never fetches anything: the server
 * gathers facts (from registries, a cache, or nothing at all when offline) and hands them in.
 */
@FunctionalInterface
public interface ImageFacts {
    /** Every lookup fails with "offline": the engine then applies the policy's rules for failed resolution. */
    ImageFacts OFFLINE = (field, reference) -> Resolution.OFFLINE;

    /** @param reference the parsed image for {@code DockerImage} fields, otherwise {@code null} */
    Resolution lookup(ImageField field, ImageReference reference);
}
