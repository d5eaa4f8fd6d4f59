package org.imagepolicy.webhook.registry.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes small test images into a registry over its HTTP API, the way {@code docker push} does:
 * blobs by monolithic upload ({@code POST .../blobs/uploads/} then {@code PUT <Location>&digest=}),
 * then the manifest by {@code PUT .../manifests/<tag>} with its media type as Content-Type. Each
 * image has one config blob (architecture, os, labels, rootfs) and one tiny gzip layer.
 *
 * <pre>
 * ImagePusher pusher = ImagePusher.to(registry);
 * PushedImage app = pusher.ociImage("team/app").tag("v1").label("approved", "yes").push();
 * PushedImage multi = pusher.dockerManifestList("team/app").tag("multi").annotation("a", "b").push();
 * </pre>
 *
 * Every digest is checked against the registry's {@code Docker-Content-Digest}, so a test never
 * starts from an image the registry stored differently than the harness believes.
 */
public final class ImagePusher {
    public enum Format { OCI, DOCKER }

    public static final List<String> DEFAULT_PLATFORMS = List.of("linux/amd64", "linux/arm64");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryHttp http;

    private ImagePusher(RegistryHttp http) {
        this.http = http;
    }

    /** Pushes as the registry's user when it has one. */
    public static ImagePusher to(LocalRegistry registry) {
        return new ImagePusher(RegistryHttp.authenticated(registry));
    }

    public static ImagePusher using(RegistryHttp http) {
        return new ImagePusher(http);
    }

    public ImageBuilder ociImage(String repository) {
        return new ImageBuilder(Format.OCI, repository);
    }

    public ImageBuilder dockerImage(String repository) {
        return new ImageBuilder(Format.DOCKER, repository);
    }

    public ImageBuilder image(Format format, String repository) {
        return new ImageBuilder(format, repository);
    }

    public IndexBuilder ociIndex(String repository) {
        return new IndexBuilder(Format.OCI, repository);
    }

    public IndexBuilder dockerManifestList(String repository) {
        return new IndexBuilder(Format.DOCKER, repository);
    }

    public IndexBuilder index(Format format, String repository) {
        return new IndexBuilder(format, repository);
    }

    /** One image: a config with labels, one layer, a manifest with annotations. */
    public final class ImageBuilder {
        private final Format format;
        private final String repository;
        private String tag = "latest";
        private String platform = "linux/amd64";
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();

        private ImageBuilder(Format format, String repository) {
            this.format = format;
            this.repository = Objects.requireNonNull(repository, "repository");
        }

        /** The tag to push under (default {@code latest}); null pushes by digest only. */
        public ImageBuilder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /** {@code os/architecture[/variant]}, default {@code linux/amd64}. */
        public ImageBuilder platform(String platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
            return this;
        }

        /** A label in the image config ({@code config.Labels}), where {@code LABEL} in a Dockerfile puts it. */
        public ImageBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public ImageBuilder labels(Map<String, String> more) {
            labels.putAll(more);
            return this;
        }

        /**
         * An annotation on the manifest. Docker schema2 defines none, but registries store the bytes as
         * sent, so a schema2 manifest can carry them for tests of clients that look anyway.
         */
        public ImageBuilder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public ImageBuilder annotations(Map<String, String> more) {
            annotations.putAll(more);
            return this;
        }

        public PushedImage push() {
            return pushImage(format, repository, tag, platform, labels, annotations, tag == null ? "" : tag);
        }
    }

    /** An OCI index or a Docker manifest list over one image per platform (linux/amd64 and linux/arm64 by default). */
    public final class IndexBuilder {
        private final Format format;
        private final String repository;
        private String tag = "latest";
        private List<String> platforms = DEFAULT_PLATFORMS;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> platformLabels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private final Map<String, String> childAnnotations = new LinkedHashMap<>();

        private IndexBuilder(Format format, String repository) {
            this.format = format;
            this.repository = Objects.requireNonNull(repository, "repository");
        }

        /** The tag for the index (default {@code latest}); children are pushed by digest. Null: index by digest too. */
        public IndexBuilder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public IndexBuilder platforms(String... platforms) {
            this.platforms = List.of(platforms);
            return this;
        }

        /** A label in every child image's config. */
        public IndexBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** A label in one child's config only, e.g. to tell which child a client resolved to. */
        public IndexBuilder platformLabel(String platform, String key, String value) {
            platformLabels.computeIfAbsent(platform, p -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** An annotation on the index (or list) itself. */
        public IndexBuilder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        /** An annotation on every child manifest. */
        public IndexBuilder childAnnotation(String key, String value) {
            childAnnotations.put(key, value);
            return this;
        }

        public PushedImage push() {
            for (String platform : platformLabels.keySet()) {
                if (!platforms.contains(platform)) {
                    throw new IllegalArgumentException("labels for " + platform + ", which is not among " + platforms);
                }
            }
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", format == Format.OCI ? TestMediaTypes.OCI_INDEX : TestMediaTypes.DOCKER_MANIFEST_LIST);
            ArrayNode manifests = index.putArray("manifests");
            Map<String, String> platformDigests = new LinkedHashMap<>();
            for (String platform : platforms) {
                Map<String, String> childLabels = new LinkedHashMap<>(labels);
                childLabels.putAll(platformLabels.getOrDefault(platform, Map.of()));
                // Children by digest only, as buildx does: the tag belongs to the index.
                PushedImage child = pushImage(format, repository, null, platform, childLabels, childAnnotations,
                        tag == null ? "" : tag);
                platformDigests.put(platform, child.digest());
                ObjectNode entry = manifests.addObject();
                entry.put("mediaType", child.mediaType());
                entry.put("digest", child.digest());
                entry.put("size", child.manifestBytes().length);
                entry.set("platform", platformNode(platform));
            }
            if (!annotations.isEmpty()) {
                index.set("annotations", JSON.valueToTree(annotations));
            }
            String mediaType = index.get("mediaType").asText();
            PushedImage pushed = pushManifest(repository, tag, mediaType, bytes(index));
            return new PushedImage(repository, tag, pushed.digest(), mediaType, pushed.manifestBytes(), null,
                    platformDigests);
        }
    }

    /** @param salt makes layers of otherwise equal images differ (children of different index tags) */
    private PushedImage pushImage(Format format, String repository, String tag, String platform,
            Map<String, String> labels, Map<String, String> annotations, String salt) {
        String[] parts = platform.split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("platform must be os/architecture[/variant], got " + platform);
        }
        // A line of text, not a tar: registries never look inside layers, and the webhook never pulls them.
        // The diff_id is still what the spec says, the digest of the uncompressed layer.
        byte[] uncompressed = ("layer of " + repository + ":" + salt + " for " + platform + " with " + labels + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = gzip(uncompressed);
        String layerDigest = pushBlob(repository, layer);

        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", parts[1]);
        config.put("os", parts[0]);
        if (parts.length == 3) {
            config.put("variant", parts[2]);
        }
        config.putObject("config").set("Labels", JSON.valueToTree(labels));
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(ContentDigest.sha256(uncompressed));
        byte[] configBytes = bytes(config);
        String configDigest = pushBlob(repository, configBytes);

        boolean oci = format == Format.OCI;
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", oci ? TestMediaTypes.OCI_MANIFEST : TestMediaTypes.DOCKER_MANIFEST);
        manifest.set("config", descriptor(oci ? TestMediaTypes.OCI_CONFIG : TestMediaTypes.DOCKER_CONFIG, configDigest,
                configBytes.length));
        manifest.putArray("layers").add(descriptor(oci ? TestMediaTypes.OCI_LAYER : TestMediaTypes.DOCKER_LAYER, layerDigest,
                layer.length));
        if (!annotations.isEmpty()) {
            manifest.set("annotations", JSON.valueToTree(annotations));
        }
        String mediaType = manifest.get("mediaType").asText();
        PushedImage pushed = pushManifest(repository, tag, mediaType, bytes(manifest));
        return new PushedImage(repository, tag, pushed.digest(), mediaType, pushed.manifestBytes(), configDigest,
                Map.of());
    }

    /** Uploads a blob in one PUT and returns its digest, as the registry confirmed it. */
    public String pushBlob(String repository, byte[] content) {
        String digest = ContentDigest.sha256(content);
        HttpResponse<byte[]> started = http.send(http.request("POST", "/v2/" + repository + "/blobs/uploads/", null));
        expect(started, 202, "start a blob upload to " + repository);
        String location = started.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("the upload start for " + repository + " has no Location"));
        // The Location may be relative, and already carries the upload state in its query.
        URI upload = http.base().resolve(location);
        String separator = upload.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(upload + separator + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        HttpResponse<byte[]> done = http.send(http.request("PUT", put, content)
                .header("Content-Type", "application/octet-stream"));
        expect(done, 201, "upload blob " + digest + " to " + repository);
        requireDigest(done, digest, "blob");
        return digest;
    }

    /**
     * PUTs manifest bytes as they are, under a tag or (tag null) under their digest. For odd cases the
     * builders do not make: foreign layers, unknown media types, hand-written JSON.
     */
    public PushedImage pushManifest(String repository, String tag, String mediaType, byte[] manifest) {
        String digest = ContentDigest.sha256(manifest);
        String reference = tag == null ? digest : tag;
        HttpResponse<byte[]> response = http.send(http.request("PUT", "/v2/" + repository + "/manifests/" + reference,
                manifest).header("Content-Type", mediaType));
        expect(response, 201, "put manifest " + repository + ":" + reference);
        requireDigest(response, digest, "manifest");
        return new PushedImage(repository, tag, digest, mediaType, manifest, null, Map.of());
    }

    /** Points another tag at an image already pushed, by PUTting the same bytes. */
    public PushedImage retag(PushedImage image, String tag) {
        pushManifest(image.repository(), Objects.requireNonNull(tag, "tag"), image.mediaType(), image.manifestBytes());
        return new PushedImage(image.repository(), tag, image.digest(), image.mediaType(), image.manifestBytes(),
                image.configDigest(), image.platformDigests());
    }

    /** Deletes a manifest by digest (the registry has {@code storage.delete.enabled}); its tags go with it. */
    public void delete(PushedImage image) {
        HttpResponse<byte[]> response = http.send(http.request("DELETE",
                "/v2/" + image.repository() + "/manifests/" + image.digest(), null));
        expect(response, 202, "delete " + image);
    }

    private static void expect(HttpResponse<byte[]> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError("could not " + what + ": " + response.request().method() + " "
                    + response.request().uri() + " answered " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private static void requireDigest(HttpResponse<byte[]> response, String expected, String what) {
        String told = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (!expected.equals(told)) {
            throw new AssertionError("the registry stored the " + what + " as " + told + ", the harness computed "
                    + expected);
        }
    }

    private static ObjectNode descriptor(String mediaType, String digest, int size) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
        return node;
    }

    private static ObjectNode platformNode(String platform) {
        String[] parts = platform.split("/");
        ObjectNode node = JSON.createObjectNode();
        node.put("architecture", parts[1]);
        node.put("os", parts[0]);
        if (parts.length == 3) {
            node.put("variant", parts[2]);
        }
        return node;
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GZIPOutputStream writes mtime 0 and no name, so equal input gives equal blobs, run after run. */
    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
