package org.imagepolicy.webhook.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A small registry HTTP client for the harness and its tests, authenticating the way registries ask:
 * it sends a request, and on a 401 answers the {@code WWW-Authenticate} challenge once, with Basic
 * credentials ({@code Basic realm=...}) or with a token fetched from the realm
 * ({@code Bearer realm=...,service=...,scope=...}) using those credentials, then retries. The last
 * credential is sent up front afterwards, so a run of requests to one repository is challenged once.
 *
 * <p>Deliberately independent of the main code's registry client, so the harness can check it.
 */
public final class RegistryHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient client;
    private final String username;
    private final String password;
    private final AtomicInteger tokensFetched = new AtomicInteger();
    private volatile String authorization;

    private RegistryHttp(URI base, HttpClient client, String username, String password) {
        this.base = base;
        this.client = client;
        this.username = username;
        this.password = password;
    }

    /** With the registry's user when it has one, trusting its CA. */
    public static RegistryHttp authenticated(LocalRegistry registry) {
        return registry.variant().authenticated()
                ? to(registry.base(), registry.clientTls(), registry.username(), registry.password())
                : anonymous(registry);
    }

    /** Without credentials: anonymous token requests, no Basic. */
    public static RegistryHttp anonymous(LocalRegistry registry) {
        return to(registry.base(), registry.clientTls(), null, null);
    }

    /**
     * @param tls trust for HTTPS, or null for plain HTTP
     * @param username null for anonymous
     */
    public static RegistryHttp to(URI base, SSLContext tls, String username, String password) {
        return new RegistryHttp(base, Tls.client(tls), username, password);
    }

    public URI base() {
        return base;
    }

    /** How many tokens this client fetched from a realm. */
    public int tokensFetched() {
        return tokensFetched.get();
    }

    /** A request for a path (with query) on the registry. */
    public HttpRequest.Builder request(String method, String pathAndQuery, byte[] body) {
        return request(method, base.resolve(pathAndQuery), body);
    }

    public HttpRequest.Builder request(String method, URI uri, byte[] body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, publisher);
    }

    /** HEAD a manifest accepting all four manifest kinds. */
    public HttpResponse<byte[]> headManifest(String repository, String reference) {
        return send(request("HEAD", "/v2/" + repository + "/manifests/" + reference, null)
                .header("Accept", TestMediaTypes.ACCEPT_ANY_MANIFEST));
    }

    /** GET a manifest accepting all four manifest kinds. */
    public HttpResponse<byte[]> getManifest(String repository, String reference) {
        return send(request("GET", "/v2/" + repository + "/manifests/" + reference, null)
                .header("Accept", TestMediaTypes.ACCEPT_ANY_MANIFEST));
    }

    public HttpResponse<byte[]> getBlob(String repository, String digest) {
        return send(request("GET", "/v2/" + repository + "/blobs/" + digest, null));
    }

    /**
     * Sends with the current credential and answers one 401 challenge. The builder must be re-sendable
     * (byte-array bodies are).
     */
    public HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = sendOnce(request, authorization);
        if (response.statusCode() != 401) {
            return response;
        }
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        String answer = answer(challenge);
        if (answer == null) {
            return response;
        }
        authorization = answer;
        return sendOnce(request, answer);
    }

    private HttpResponse<byte[]> sendOnce(HttpRequest.Builder request, String credential) {
        HttpRequest.Builder copy = request.copy();
        if (credential != null) {
            copy.setHeader("Authorization", credential);
        }
        HttpRequest built = copy.build();
        try {
            return client.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.method() + " " + built.uri(), e);
        }
    }

    /** The Authorization value that answers a challenge, or null when there is nothing to answer with. */
    private String answer(String challenge) {
        String lower = challenge.toLowerCase(Locale.ROOT);
        if (lower.startsWith("basic")) {
            return username == null ? null : basic();
        }
        if (!lower.startsWith("bearer")) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            return null;
        }
        StringBuilder url = new StringBuilder(realm);
        char separator = realm.contains("?") ? '&' : '?';
        for (String name : new String[] {"service", "scope"}) {
            String value = params.get(name);
            if (value != null) {
                url.append(separator).append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(url.toString())).timeout(TIMEOUT).GET();
        if (username != null) {
            tokenRequest.header("Authorization", basic());
        }
        HttpResponse<byte[]> response = sendOnce(tokenRequest, null);
        if (response.statusCode() != 200) {
            return null;
        }
        tokensFetched.incrementAndGet();
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
            return token == null ? null : "Bearer " + token.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("the token endpoint " + realm + " answered no JSON", e);
        }
    }

    private String basic() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
