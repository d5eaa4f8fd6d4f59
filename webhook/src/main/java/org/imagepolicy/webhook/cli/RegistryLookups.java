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
import org.imagepolicy.webhook.registry.ImageResolver;
import org.imagepolicy.webhook.registry.RegistryResolver;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;
import org.imagepolicy.webhook.server.ResolverLayer;

/**
 * One batch of lookups through the resolver {@code serve} uses, for the one-shot commands (review, test,
 * explain): Vert.x lives only while the batch runs.
 */
final class RegistryLookups {
    private RegistryLookups() {
    }

    /** Registries alone, answers by reference (test's suites read them so). */
    static Map<ImageReference, Resolution> resolve(RegistrySettings settings, Duration timeout, List<ImageLookup> lookups) throws IOException {
        Map<ImageReference, Resolution> byReference = new HashMap<>();
        resolve(settings, timeout, lookups, ResolverLayer.NONE, null, false)
                .forEach((lookup, resolution) -> byReference.put(lookup.reference(), resolution));
        return byReference;
    }

    /**
     * As {@code serve} resolves one admission's lookups: {@code layer}'s image API in front of the registries
     * ({@link ResolverLayer#NONE} for none), with the request's {@code credentials} ({@code null}: the global ones).
     *
     * @param offline registries answer "offline"; the image API, which is the cluster, still answers
     */
    static Map<ImageLookup, Resolution> resolve(RegistrySettings settings, Duration timeout, List<ImageLookup> lookups, ResolverLayer layer,
            PullCredentials credentials, boolean offline) throws IOException {
        if (lookups.isEmpty()) {
            return Map.of();
        }
        Vertx vertx = Vertx.vertx();
        try {
            RegistryMetrics metrics = new RegistryMetrics();
            ImageResolver registries = offline ? ImageResolver.OFFLINE : RegistryResolver.create(vertx, settings, metrics, timeout);
            ImageResolver resolver = layer.resolver(vertx, registries, metrics);
            long deadline = System.nanoTime() + timeout.toNanos();
            return (credentials == null ? resolver.resolve(lookups, deadline) : resolver.resolve(lookups, credentials, deadline))
                    .toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
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
