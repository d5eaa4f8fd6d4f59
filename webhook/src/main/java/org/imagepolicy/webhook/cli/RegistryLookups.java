package org.imagepolicy.webhook.cli;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.RegistryResolver;
import org.imagepolicy.webhook.registry.RegistrySettings;

/**
 * One batch of lookups through the resolver {@code serve} uses, for the one-shot commands (review, test,
 * explain): Vert.x lives only while the batch runs.
 */
final class RegistryLookups {
    private RegistryLookups() {
    }

    static Map<ImageReference, Resolution> resolve(RegistrySettings settings, Duration timeout, List<ImageLookup> lookups) throws IOException {
        Map<ImageReference, Resolution> byReference = new HashMap<>();
        if (lookups.isEmpty()) {
            return byReference;
        }
        Vertx vertx = Vertx.vertx();
        try {
            RegistryResolver resolver = RegistryResolver.create(vertx, settings, new RegistryMetrics(), timeout);
            resolver.resolve(lookups, System.nanoTime() + timeout.toNanos()).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                    .forEach((lookup, resolution) -> byReference.put(lookup.reference(), resolution));
            return byReference;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("registry lookups did not finish: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking images up", e);
        } finally {
            vertx.close();
        }
    }
}
