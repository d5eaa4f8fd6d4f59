package org.imagepolicy.webhook.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.imagepolicy.webhook.audit.Lookups;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.ImageResolver;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/** serve's non-blocking resolver, waited on by the audit's thread (never an event loop), one group at a time. */
final class ResolverLookups implements Lookups {
    private final ImageResolver resolver;
    private final Duration timeout;
    private final boolean clusterNames;

    /** @param clusterNames whether {@code resolver} reads the OpenShift image API ({@link Lookups#readsClusterNames()}) */
    ResolverLookups(ImageResolver resolver, Duration timeout, boolean clusterNames) {
        this.resolver = resolver;
        this.timeout = timeout;
        this.clusterNames = clusterNames;
    }

    @Override
    public boolean readsClusterNames() {
        return clusterNames;
    }

    @Override
    public Map<ImageLookup, Resolution> resolve(List<ImageLookup> group) {
        return resolve(group, null);
    }

    @Override
    public Map<ImageLookup, Resolution> resolve(List<ImageLookup> group, PullCredentials credentials) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return (credentials == null ? resolver.resolve(group, deadline) : resolver.resolve(group, credentials, deadline)).toCompletionStage().toCompletableFuture()
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
}
