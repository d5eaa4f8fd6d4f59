package org.imagepolicy.webhook.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Interner;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;

/**
 * What an image digest says about itself: for an index, the manifest of the configured platform; labels
 * from that manifest's config blob, and annotations from the manifest over those of the index. The
 * digest reported is the one asked about (an index's digest stays the index's), as pinning needs.
 */
final class ImageInspector {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Weak: a string no cached image uses any more is collected like any other. */
    private static final Interner<String> TEXT = Interner.newWeakInterner();

    private final RegistryClient client;
    private final String os;
    private final String architecture;
    private final String variant;

    ImageInspector(RegistryClient client, String platform) {
        this.client = client;
        String[] parts = platform.split("/");
        this.os = parts[0];
        this.architecture = parts.length > 1 ? parts[1] : "amd64";
        this.variant = parts.length > 2 ? parts[2] : null;
    }

    /**
     * @param fetched the digest's manifest when the tag's lookup already brought it (a GET by tag), or
     *     {@code null} to fetch it now
     */
    Future<ImageMetadata> inspect(String registryKey, String repository, String digest, Manifest fetched, CredentialSource credentials,
            long deadline) {
        Future<Manifest> manifest = fetched != null && fetched.digest().equals(digest) ? Future.succeededFuture(fetched)
                : client.manifest(registryKey, repository, digest, credentials, deadline);
        return manifest.compose(top -> {
            JsonNode topJson = parse(top);
            if (MediaTypes.isIndex(top.mediaType())) {
                String platformDigest = platformManifest(topJson, registryKey + "/" + repository + "@" + digest);
                return client.manifest(registryKey, repository, platformDigest, credentials, deadline)
                        .compose(m -> metadataOf(registryKey, repository, digest, parse(m), m, annotations(topJson), credentials, deadline));
            }
            return metadataOf(registryKey, repository, digest, topJson, top, Map.of(), credentials, deadline);
        });
    }

    private Future<ImageMetadata> metadataOf(String registryKey, String repository, String digest, JsonNode manifest, Manifest raw,
            Map<String, String> indexAnnotations, CredentialSource credentials, long deadline) {
        if (!MediaTypes.isManifest(raw.mediaType())) {
            return Future.failedFuture(RegistryException.permanent(registryKey + "/" + repository + "@" + raw.digest()
                    + " is a \"" + raw.mediaType() + "\", not an image manifest this webhook reads"));
        }
        Map<String, String> annotations = new HashMap<>(indexAnnotations);
        annotations.putAll(annotations(manifest));
        String configDigest = manifest.path("config").path("digest").asText("");
        if (configDigest.isEmpty()) {
            return Future.failedFuture(RegistryException.permanent(registryKey + "/" + repository + "@" + raw.digest() + " has no config"));
        }
        return client.blob(registryKey, repository, configDigest, RegistrySettings.MAX_CONFIG_BYTES, credentials, deadline)
                .map(config -> new ImageMetadata(digest, labels(config, registryKey + "/" + repository + "@" + configDigest), annotations));
    }

    private String platformManifest(JsonNode index, String what) {
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            if (os.equals(p.path("os").asText()) && architecture.equals(p.path("architecture").asText())
                    && (variant == null || variant.equals(p.path("variant").asText()))) {
                return m.path("digest").asText();
            }
        }
        throw RegistryException.permanent(what + " has no " + os + "/" + architecture + (variant == null ? "" : "/" + variant)
                + " image; set --platform to one it has");
    }

    private static JsonNode parse(Manifest m) {
        try {
            return JSON.readTree(m.bytes());
        } catch (IOException e) {
            throw RegistryException.permanent("the manifest " + m.digest() + " is not valid JSON");
        }
    }

    private static Map<String, String> labels(byte[] config, String what) {
        try {
            return strings(JSON.readTree(config).path("config").path("Labels"));
        } catch (IOException e) {
            throw RegistryException.permanent("the image config " + what + " is not valid JSON");
        }
    }

    private static Map<String, String> annotations(JsonNode manifest) {
        return strings(manifest.path("annotations"));
    }

    /**
     * Label and annotation text, one copy per distinct string: the keys are the same few dozen on every
     * image and many values (vendor, licence, description) the same across the tags of a product. With
     * 100,000 images cached this halves the heap the cache takes (measured with bench/run.sh).
     */
    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode()) {
                out.put(TEXT.intern(e.getKey()), TEXT.intern(e.getValue().asText()));
            }
        }
        return out;
    }
}
