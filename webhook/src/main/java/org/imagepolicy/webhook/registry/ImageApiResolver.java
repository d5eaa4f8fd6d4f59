package org.imagepolicy.webhook.registry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.image.ClusterName;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/**
 * Upstream's resolution through the OpenShift image API (semantics §2.3), in front of the registries:
 * image stream tags from the informed ImageStreams, images held by digest (both kept by the cluster package,
 * behind {@link ImageApiIndex}). Anything the image
 * API does not resolve (an external tag, a digest or an integrated-registry name the cluster does not know)
 * goes on to the registry resolver, and the answer says which source gave it. Answers share the decision's
 * deadline: a fetch still running then is answered with a failure that says so.
 */
public final class ImageApiResolver implements ImageResolver {
    static final String SOURCE_STREAM = "the image API: image stream ";
    private final Vertx vertx;
    private final ImageResolver registries;
    private final ImageApiIndex index;

    public ImageApiResolver(Vertx vertx, ImageResolver registries, ImageApiIndex index) {
        this.vertx = vertx;
        this.registries = registries;
        this.index = index;
    }

    @Override
    public Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, long deadlineNanos) {
        return resolve(lookups, null, deadlineNanos);
    }

    @Override
    public Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, PullCredentials credentials, long deadlineNanos) {
        Map<ImageLookup, CompletableFuture<Answer>> pending = new HashMap<>();
        for (ImageLookup l : lookups) {
            pending.put(l, answer(l));
        }
        Map<ImageLookup, Resolution> results = new ConcurrentHashMap<>();
        List<ImageLookup> toRegistries = new ArrayList<>();
        boolean allAnswered = true;
        for (Map.Entry<ImageLookup, CompletableFuture<Answer>> e : pending.entrySet()) {
            CompletableFuture<Answer> f = e.getValue();
            if (f.isDone() && !f.isCompletedExceptionally()) {
                Answer a = f.join();
                if (a.resolution != null) {
                    results.put(e.getKey(), a.resolution);
                } else {
                    toRegistries.add(e.getKey());
                }
            } else {
                allAnswered = false;
            }
        }
        if (allAnswered) {
            // The usual case once streams are synced and images held: nothing to wait for.
            return toRegistries.isEmpty() ? Future.succeededFuture(Map.copyOf(results))
                    : askRegistries(toRegistries, credentials, deadlineNanos, pending).map(found -> {
                        results.putAll(found);
                        return Map.copyOf(results);
                    });
        }
        Promise<Map<ImageLookup, Resolution>> all = Promise.promise();
        // Image reads complete on the reader threads; the registry fallback starts back on this request's context.
        io.vertx.core.Context context = vertx.getOrCreateContext();
        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        long timer = vertx.setTimer(waitMillis, id -> {
            for (ImageLookup l : lookups) {
                results.putIfAbsent(l, new Resolution.Failed("the OpenShift image API did not answer within the decision's time budget ("
                        + waitMillis + " ms left when the request arrived)"));
            }
            all.tryComplete(Map.copyOf(results));
        });
        CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).whenComplete((v, err) -> context.runOnContext(x -> {
            List<ImageLookup> later = new ArrayList<>();
            pending.forEach((l, f) -> {
                if (f.isCompletedExceptionally()) {
                    results.putIfAbsent(l, new Resolution.Failed("reading the image from the OpenShift image API failed: " + cause(f)));
                } else if (f.join().resolution != null) {
                    results.putIfAbsent(l, f.join().resolution);
                } else {
                    later.add(l);
                }
            });
            Future<Map<ImageLookup, Resolution>> rest = later.isEmpty() ? Future.succeededFuture(Map.of())
                    : askRegistries(later, credentials, deadlineNanos, pending);
            rest.onComplete(done -> {
                if (done.succeeded()) {
                    done.result().forEach(results::putIfAbsent);
                }
                vertx.cancelTimer(timer);
                all.tryComplete(Map.copyOf(results));
            });
        }));
        return all.future();
    }

    private Future<Map<ImageLookup, Resolution>> askRegistries(List<ImageLookup> lookups, PullCredentials credentials, long deadlineNanos,
            Map<ImageLookup, CompletableFuture<Answer>> pending) {
        List<ImageLookup> plain = new ArrayList<>(lookups.size());
        for (ImageLookup l : lookups) {
            plain.add(l.registryOnly());
        }
        Future<Map<ImageLookup, Resolution>> asked = credentials == null ? registries.resolve(plain, deadlineNanos)
                : registries.resolve(plain, credentials, deadlineNanos);
        return asked.map(found -> {
            Map<ImageLookup, Resolution> out = new HashMap<>();
            for (ImageLookup l : lookups) {
                Resolution r = found.get(l.registryOnly());
                String why = pending.get(l).join().fallbackNote;
                if (r instanceof Resolution.Resolved ok && why != null) {
                    r = ok.from("registry " + l.registryKey() + ", " + why);
                }
                out.put(l, r != null ? r : new Resolution.Failed("no lookup was made for this image"));
            }
            return out;
        });
    }

    private static String cause(CompletableFuture<?> f) {
        try {
            f.join();
            return "";
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
    }

    /** The image API's answer, or (resolution null) "ask the registries", with why for the decision. */
    private record Answer(Resolution resolution, String fallbackNote) {
        static CompletableFuture<Answer> of(Resolution r) {
            return CompletableFuture.completedFuture(new Answer(r, null));
        }

        static CompletableFuture<Answer> registries(String why) {
            return CompletableFuture.completedFuture(new Answer(null, why));
        }
    }

    private CompletableFuture<Answer> answer(ImageLookup l) {
        ClusterName c = l.cluster();
        if (c == null) {
            return Answer.registries(null);
        }
        switch (c.kind()) {
            case ClusterName.IMAGE_STREAM_TAG: {
                int colon = c.name().indexOf(':');
                if (colon < 0) {
                    return Answer.of(new Resolution.Failed("references of kind ImageStreamTag must be of the form NAME:TAG"));
                }
                return streamTag(c.namespace(), c.name().substring(0, colon), c.name().substring(colon + 1), false, false, null);
            }
            case ClusterName.IMAGE_STREAM_IMAGE:
                return streamImage(c);
            case ClusterName.DOCKER_IMAGE:
                return dockerImage(l.reference(), c);
            default:
                return Answer.of(new Resolution.Failed("image policy does not allow image references of kind \"" + c.kind() + "\""));
        }
    }

    private CompletableFuture<Answer> dockerImage(ImageReference ref, ClusterName c) {
        boolean full = isIntegrated(ref.registry());
        if (ref.digest() != null) {
            return index.image(ref.digest()).thenApply(image -> image == null
                    ? new Answer(null, "which the image API does not know (no Image " + ref.digest() + ")")
                    : new Answer(new Resolution.Resolved(metadata(image), full, null, null, false, "the cluster's Image " + image.digest()), null));
        }
        String path = ref.path();
        int slash = path.indexOf('/');
        String refNamespace = slash < 0 ? "" : path.substring(0, slash);
        String name = slash < 0 ? path : path.substring(slash + 1);
        boolean partial = c.forceLocal() || (ref.registry().isEmpty() && refNamespace.isEmpty() && !name.isEmpty());
        if (!full && !partial) {
            return Answer.registries(null); // upstream: "could not be resolved to an exact image reference"; the registry can
        }
        String tag = ref.tag() == null ? "latest" : ref.tag();
        String namespace = refNamespace.isEmpty() || c.forceLocal() ? c.namespace() : refNamespace;
        return streamTag(namespace, name, tag, partial, c.forceLocal(), ref);
    }

    /**
     * Upstream's resolveImageStreamTag over the informed stream.
     *
     * @param asWritten the DockerImage reference that led here (then what the image API does not resolve goes to
     *                  the registries), or {@code null} for an {@code ImageStreamTag} reference
     */
    private CompletableFuture<Answer> streamTag(String namespace, String name, String tag, boolean partial, boolean force,
            ImageReference asWritten) {
        ImageStreamRecord stream = index.stream(namespace, name);
        ImageStreamRecord.Tag t = stream == null ? null : stream.tags().get(tag);
        String stag = namespace + "/" + name + ":" + tag;
        if (t == null) {
            if (stream != null && (force || stream.lookupLocal()) && !stream.dockerImageRepository().isEmpty()
                    && parses(stream.dockerImageRepository() + ":" + tag)) {
                // The stream exists, the tag not yet: pull the tag from the stream's repository (no image, so no metadata).
                return Answer.of(new Resolution.Resolved(null, !partial, null, stream.dockerImageRepository() + ":" + tag, true,
                        SOURCE_STREAM + namespace + "/" + name + " (tag " + tag + " not imported yet)"));
            }
            String why = stream == null ? "image stream " + namespace + "/" + name + " not found" : "image stream tag " + stag + " not found";
            return asWritten == null ? Answer.of(new Resolution.Failed(why)) : Answer.registries("which the image API does not know (" + why + ")");
        }
        if (partial && !force && !stream.lookupLocal()) {
            String why = "ImageStreamTag does not allow local references and the resource did not request image stream resolution";
            return asWritten == null ? Answer.of(new Resolution.Failed(why)) : Answer.registries("not the image stream " + stag + " (" + why + ")");
        }
        return index.image(t.digest()).thenApply(image -> {
            String pullSpec = pullSpec(stream, t, image);
            if (pullSpec == null) {
                return new Answer(new Resolution.Failed("image reference " + t.dockerImageReference() + " could not be parsed"), null);
            }
            return new Answer(new Resolution.Resolved(image == null ? null : metadata(image), true, null, pullSpec, partial,
                    SOURCE_STREAM + "tag " + stag + " (Image " + t.digest() + (image == null ? ", which the image API does not have" : "") + ")"),
                    null);
        });
    }

    /** Where the tag's image is pulled from: the stream's repository when its referencePolicy is Local, else the image's source. */
    private static String pullSpec(ImageStreamRecord stream, ImageStreamRecord.Tag t, ClusterImage image) {
        String from = t.localReference() && !stream.dockerImageRepository().isEmpty() ? stream.dockerImageRepository()
                : image != null && !image.dockerImageReference().isEmpty() ? image.dockerImageReference() : t.dockerImageReference();
        try {
            ImageReference r = ImageReference.parse(from);
            return (r.registry().isEmpty() ? "" : r.registry() + "/") + r.path() + "@" + t.digest();
        } catch (InvalidImageReferenceException e) {
            return null;
        }
    }

    private CompletableFuture<Answer> streamImage(ClusterName c) {
        int at = c.name().indexOf('@');
        if (at < 0) {
            return Answer.of(new Resolution.Failed("references of kind ImageStreamImage must be of the form NAME@DIGEST"));
        }
        String name = c.name().substring(0, at);
        String digest = c.name().substring(at + 1);
        ImageStreamRecord stream = index.stream(c.namespace(), name);
        if (stream == null || !stream.images().contains(digest)) {
            return Answer.of(new Resolution.Failed("image stream image " + c.namespace() + "/" + c.name() + " not found"));
        }
        return index.image(digest).thenApply(image -> {
            if (image == null) {
                return new Answer(new Resolution.Failed("image stream image " + c.namespace() + "/" + c.name() + " not found (no Image " + digest + ")"), null);
            }
            String exact;
            try {
                exact = ImageReference.parse(image.dockerImageReference()).exact();
            } catch (InvalidImageReferenceException e) {
                return new Answer(new Resolution.Failed("ImageStreamTag could not be resolved: " + e.getMessage()), null);
            }
            return new Answer(new Resolution.Resolved(metadata(image), true, null, exact, false,
                    SOURCE_STREAM + "image " + c.namespace() + "/" + c.name()), null);
        });
    }

    private static ImageMetadata metadata(ClusterImage image) {
        return new ImageMetadata(image.digest(), image.labels(), image.annotations());
    }

    private static boolean parses(String pullSpec) {
        try {
            ImageReference.parse(pullSpec);
            return true;
        } catch (InvalidImageReferenceException e) {
            return false;
        }
    }

    private boolean isIntegrated(String registry) {
        if (registry.isEmpty()) {
            return false;
        }
        for (HostPattern p : index.integratedRegistries()) {
            if (p.matches(registry)) {
                return true;
            }
        }
        return false;
    }
}
