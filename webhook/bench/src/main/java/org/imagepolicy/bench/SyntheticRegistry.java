package org.imagepolicy.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry that makes up an image for any name and tag it is asked about, for filling the webhook's
 * cache with a hundred thousand distinct images (pushing that many into a real registry would take the
 * harness longer than measuring). Every image has its own config with the twenty-odd labels a Red Hat
 * or OCI build leaves, product-wide ones the same across the tags of a repository, release ones not.
 *
 * <pre>java -cp benchmarks.jar org.imagepolicy.bench.SyntheticRegistry PORT_FILE</pre>
 */
public final class SyntheticRegistry {
    private static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";

    /** digest to "repository\ttag", for manifests and configs asked for by digest after the tag was. */
    private final Map<String, String> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> configs = new ConcurrentHashMap<>();

    private SyntheticRegistry() {
    }

    public static void main(String[] args) throws Exception {
        SyntheticRegistry registry = new SyntheticRegistry();
        Vertx vertx = Vertx.vertx();
        int port = vertx.createHttpServer().requestHandler(registry::handle).listen(0, "127.0.0.1").await().actualPort();
        Path file = Path.of(args[0]);
        Files.writeString(Path.of(args[0] + ".tmp"), Integer.toString(port));
        Files.move(Path.of(args[0] + ".tmp"), file);
        while (System.in.read() >= 0) {
            // Until the harness closes our stdin (or kills us).
        }
        vertx.close().await();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        int manifest = path.indexOf("/manifests/");
        int blob = path.indexOf("/blobs/");
        if (path.equals("/v2/") || path.equals("/v2")) {
            request.response().putHeader("Content-Type", "application/json").end("{}");
        } else if (manifest > 4) {
            String repository = path.substring(4, manifest);
            String reference = path.substring(manifest + "/manifests/".length());
            String key = reference.startsWith("sha256:") ? manifests.get(reference) : repository + "\t" + reference;
            answer(request, key == null ? null : manifest(key), MANIFEST_TYPE);
        } else if (blob > 4) {
            String key = configs.get(path.substring(blob + "/blobs/".length()));
            answer(request, key == null ? null : config(key), CONFIG_TYPE);
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void answer(HttpServerRequest request, byte[] body, String type) {
        if (body == null) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}");
            return;
        }
        var response = request.response().putHeader("Content-Type", type).putHeader("Docker-Content-Digest", sha256(body))
                .putHeader("Content-Length", Integer.toString(body.length));
        if (request.method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(io.vertx.core.buffer.Buffer.buffer(body));
        }
    }

    private byte[] manifest(String key) {
        byte[] config = config(key);
        String configDigest = sha256(config);
        configs.put(configDigest, key);
        byte[] bytes = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":\"" + CONFIG_TYPE
                + "\",\"size\":" + config.length + ",\"digest\":\"" + configDigest + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":39280517,\"digest\":\""
                + sha256(("layer " + key).getBytes(StandardCharsets.UTF_8)) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        manifests.put(sha256(bytes), key);
        return bytes;
    }

    private static byte[] config(String key) {
        String repository = key.substring(0, key.indexOf('\t'));
        String tag = key.substring(key.indexOf('\t') + 1);
        String product = repository.substring(repository.lastIndexOf('/') + 1);
        String revision = sha256(key.getBytes(StandardCharsets.UTF_8)).substring(7, 47);
        StringBuilder labels = new StringBuilder();
        label(labels, "com.example.approved", "true");
        label(labels, "architecture", "x86_64");
        label(labels, "build-date", "2026-11-" + (10 + Math.floorMod(tag.hashCode(), 18)) + "T03:14:15");
        label(labels, "com.redhat.component", product + "-container");
        label(labels, "com.redhat.license_terms", "https://www.redhat.com/en/about/red-hat-end-user-license-agreements#UBI");
        label(labels, "description", "The " + product + " image provides a minimal runtime for " + product
                + " applications, built on the Universal Base Image, with security updates applied.");
        label(labels, "distribution-scope", "public");
        label(labels, "io.buildah.version", "1.33.7");
        label(labels, "io.k8s.description", "Runtime image for " + product + " workloads on OpenShift and Kubernetes.");
        label(labels, "io.k8s.display-name", product + " " + tag);
        label(labels, "io.openshift.expose-services", "8080:http");
        label(labels, "io.openshift.tags", product + ",runtime,ubi9");
        label(labels, "maintainer", "Platform Engineering <platform@example.com>");
        label(labels, "name", "example/" + product);
        label(labels, "release", tag);
        label(labels, "summary", "Runtime for " + product);
        label(labels, "url", "https://catalog.example.com/" + product + "/images/" + tag);
        label(labels, "vcs-ref", revision);
        label(labels, "vcs-type", "git");
        label(labels, "vendor", "Example, Inc.");
        label(labels, "version", "9.4");
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/local/bin:/usr/bin\"],"
                + "\"Labels\":{" + labels + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + revision + revision.substring(0, 24)
                + "\"]}}").getBytes(StandardCharsets.UTF_8);
    }

    private static void label(StringBuilder labels, String key, String value) {
        if (labels.length() > 0) {
            labels.append(',');
        }
        labels.append('"').append(key).append("\":\"").append(value).append('"');
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
