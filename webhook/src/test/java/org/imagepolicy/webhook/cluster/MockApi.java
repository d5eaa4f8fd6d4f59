package org.imagepolicy.webhook.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Writes objects into fabric8's CRUD mock API server. Not through the fabric8 client: under our Vert.x 5
 * the 7.7.0 mock server (built for Vert.x 4) loses a request body that arrives with its headers, and
 * the client's POST hangs until it times out and retries (then 409). A body sent after
 * {@code Expect: 100-continue} arrives intact. Reads (lists and watches, what the webhook does) are
 * unaffected and go through the real client under test.
 */
final class MockApi {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    MockApi(KubernetesClient client) {
        String url = client.getMasterUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The collection path of an object's kind, e.g. {@code /api/v1/namespaces/team-a/secrets}. */
    static String collection(String apiVersion, String plural, String namespace) {
        String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
    }

    static String plural(HasMetadata o) {
        String kind = o.getKind().toLowerCase(java.util.Locale.ROOT);
        return kind.endsWith("s") ? kind + "es" : kind + "s";
    }

    void create(HasMetadata o) {
        send("POST", collection(o.getApiVersion(), plural(o), o.getMetadata().getNamespace()), SERIALIZATION.asJson(o), 201);
    }

    void replace(HasMetadata o) {
        send("PUT", collection(o.getApiVersion(), plural(o), o.getMetadata().getNamespace()) + "/" + o.getMetadata().getName(),
                SERIALIZATION.asJson(o), 200);
    }

    void delete(String apiVersion, String plural, String namespace, String name) {
        send("DELETE", collection(apiVersion, plural, namespace) + "/" + name, null, 200);
    }

    private void send(String method, String path, String body, int expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.expectContinue(true).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
