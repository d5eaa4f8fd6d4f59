package org.imagepolicy.webhook.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.imagepolicy.webhook.registry.credentials.Credential;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;

/**
 * The OCI distribution API, read-only: the digest a tag points to, manifests by digest, and blobs. Every
 * manifest and blob is verified against its digest. Authentication, the plain-HTTP fallback of insecure
 * registries and redirects to blob storage are handled here, once, for every call.
 */
final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 3;

    private final RegistryTransport transport;
    private final RegistryAuth auth;
    private final InsecureRegistries insecure;
    /**
     * Insecure registries found to speak plain HTTP, so later calls skip the failed TLS attempt; read only while the
     * registry is still insecure ({@link #plain}), so one a policy reload takes off the list gets TLS again.
     */
    private final Map<String, Boolean> plainHttp = new ConcurrentHashMap<>();
    /** Repositories read without credentials lately ({@code registry/repository}). */
    private final Cache<String, Boolean> anonymous = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();
    /** Insecure registries whose protocol a request is finding out now; the others wait for its answer. */
    private final Map<String, Future<Void>> protocolProbes = new ConcurrentHashMap<>();

    RegistryClient(RegistryTransport transport, RegistryAuth auth, InsecureRegistries insecure) {
        this.transport = transport;
        this.auth = auth;
        this.insecure = insecure;
    }

    /** Whether to speak plain HTTP to this registry: it is insecure now, and was found to speak nothing else. */
    private boolean plain(String registryKey) {
        return Boolean.TRUE.equals(plainHttp.get(registryKey)) && insecure.contains(registryKey);
    }

    /** The digest a tag points to now: HEAD with every manifest type accepted, GET when HEAD names none. */
    Future<String> digestOf(String registryKey, String repository, String tag, CredentialSource credentials, long deadline) {
        String uri = "/v2/" + repository + "/manifests/" + tag;
        return call(registryKey, repository, credentials, HttpMethod.HEAD, uri, RegistrySettings.MAX_MANIFEST_BYTES, false, deadline).compose(r -> {
            String digest = r.header("Docker-Content-Digest");
            if (digest != null && !digest.isBlank()) {
                return Future.succeededFuture(digest.trim());
            }
            return manifest(registryKey, repository, tag, credentials, deadline).map(Manifest::digest);
        });
    }

    /** A manifest or index; fetched by digest it is verified, fetched by tag its digest is computed. */
    Future<Manifest> manifest(String registryKey, String repository, String reference, CredentialSource credentials, long deadline) {
        String uri = "/v2/" + repository + "/manifests/" + reference;
        return call(registryKey, repository, credentials, HttpMethod.GET, uri, RegistrySettings.MAX_MANIFEST_BYTES, false, deadline).map(r -> {
            String what = "the manifest " + registryKey + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
            String digest = reference.contains(":") ? reference : Digests.sha256(r.body());
            Digests.verify(digest, r.body(), what);
            String announced = r.header("Docker-Content-Digest");
            if (announced != null && !reference.contains(":") && announced.startsWith("sha256:") && !announced.trim().equals(digest)) {
                throw RegistryException.permanent(what + " hashes to " + digest + " but the registry says " + announced.trim());
            }
            String mediaType = MediaTypes.bare(r.header("Content-Type"));
            if (mediaType.isEmpty() || mediaType.equals("application/json")) {
                mediaType = mediaTypeInBody(r.body(), what); // OCI allows the type in the body only
            }
            return new Manifest(digest, mediaType, r.body());
        });
    }

    private static String mediaTypeInBody(byte[] body, String what) {
        try {
            return JSON.readTree(body).path("mediaType").asText("");
        } catch (java.io.IOException e) {
            throw RegistryException.permanent(what + " is not valid JSON");
        }
    }

    /** A blob, verified; registries may redirect it to storage elsewhere. */
    Future<byte[]> blob(String registryKey, String repository, String digest, int maxBytes, CredentialSource credentials, long deadline) {
        String uri = "/v2/" + repository + "/blobs/" + digest;
        return call(registryKey, repository, credentials, HttpMethod.GET, uri, maxBytes, true, deadline).map(r -> {
            Digests.verify(digest, r.body(), "the blob " + registryKey + "/" + repository + "@" + digest);
            return r.body();
        });
    }

    /**
     * Whether the repository was read without credentials lately: then what anyone learns of it is public,
     * and shared between tenants. Forgotten after a while, in case the repository is made private.
     */
    boolean readableAnonymously(String registryKey, String repository) {
        return anonymous.getIfPresent(registryKey + "/" + repository) != null;
    }

    /** Whose credentials a lookup's answers depend on, beyond the registry's matching ones; see RegistryAuth. */
    String realmCredentialIdentity(String registryKey, CredentialSource credentials) {
        return auth.realmCredentialIdentity(registryKey, credentials);
    }

    private Future<RegistryResponse> call(String registryKey, String repository, CredentialSource source, HttpMethod method, String uri,
            int maxBytes, boolean followRedirects, long deadline) {
        Endpoint endpoint = Endpoint.of(registryKey);
        String scope = "repository:" + repository + ":pull";
        List<Credential> credentials = source.credentialsFor(registryKey, repository);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", MediaTypes.ACCEPT);
        String cached = auth.cached(registryKey, scope, credentials, source);
        if (cached != null) {
            headers.set("Authorization", cached);
        }
        return send(endpoint, method, uri, headers, maxBytes, deadline).compose(first -> {
            if (first.status() != 401) {
                if (cached == null && first.status() >= 200 && first.status() < 300) {
                    anonymous.put(registryKey + "/" + repository, Boolean.TRUE);
                }
                return Future.succeededFuture(first);
            }
            Challenge challenge = Challenge.parse(first.header("WWW-Authenticate"));
            Target target = Target.of(endpoint, !plain(registryKey));
            return attempt(new Attempt(endpoint, target, challenge, scope, repository, source, credentials, method, uri, headers, maxBytes,
                    deadline), 0);
        }).compose(r -> followRedirects && isRedirect(r.status())
                ? redirect(Target.of(endpoint, !plain(registryKey)), r, headers, maxBytes, deadline, 1)
                : Future.succeededFuture(r))
                .map(r -> checkStatus(registryKey, repository, uri, r));
    }

    private record Attempt(Endpoint endpoint, Target target, Challenge challenge, String scope, String repository, CredentialSource source,
            List<Credential> credentials, HttpMethod method, String uri, MultiMap headers, int maxBytes, long deadline) {
    }

    /**
     * Every matching credential in turn until the registry accepts one, as the kubelet pulls: a team's
     * stale secret listed first must not hide the service account's or the cluster's working one.
     */
    private Future<RegistryResponse> attempt(Attempt a, int index) {
        Credential credential = a.credentials().isEmpty() ? null : a.credentials().get(index);
        boolean more = index + 1 < a.credentials().size();
        String registryKey = a.endpoint().registryKey();
        return auth.authorize(a.target(), a.challenge(), a.scope(), credential, a.source(), a.deadline()).compose(
                authorization -> send(a.endpoint(), a.method(), a.uri(), a.headers().set("Authorization", authorization), a.maxBytes(),
                        a.deadline()).compose(r -> {
                            if ((r.status() == 401 || r.status() == 403) && credential != null) {
                                auth.refused(registryKey, a.scope(), credential, a.source());
                                if (more) {
                                    return attempt(a, index + 1);
                                }
                            }
                            if (credential == null && r.status() >= 200 && r.status() < 300) {
                                anonymous.put(registryKey + "/" + a.repository(), Boolean.TRUE);
                            }
                            return Future.succeededFuture(r);
                        }),
                e -> more && e instanceof RegistryException && ((RegistryException) e).isPermanent()
                        ? attempt(a, index + 1) : Future.failedFuture(e));
    }

    private Future<RegistryResponse> send(Endpoint endpoint, HttpMethod method, String uri, MultiMap headers, int maxBytes, long deadline) {
        String key = endpoint.registryKey();
        if (!insecure.contains(key) || plainHttp.containsKey(key)) {
            return transport.send(Target.of(endpoint, !plain(key)), method, uri, headers, maxBytes, deadline);
        }
        // One request at a time finds out what an insecure registry speaks. Without this, a burst of first
        // lookups (a rollout) each waits out a TLS handshake the registry never answers, queued behind the
        // connection limit, and they miss their deadlines together and open the breaker.
        Promise<Void> probe = Promise.promise();
        Future<Void> running = protocolProbes.putIfAbsent(key, probe.future());
        if (running != null) {
            return running.transform(done -> send(endpoint, method, uri, headers, maxBytes, deadline));
        }
        // An insecure registry may speak TLS with a certificate nobody trusts, or plain HTTP: try in that order.
        return transport.send(Target.of(endpoint, true), method, uri, headers, maxBytes, deadline)
                .onSuccess(r -> plainHttp.putIfAbsent(key, false))
                .recover(e -> {
                    if (e instanceof RegistryException && ((RegistryException) e).isTls()) {
                        plainHttp.put(key, true);
                        return transport.send(Target.of(endpoint, false), method, uri, headers, maxBytes, deadline);
                    }
                    return Future.failedFuture(e);
                })
                .onComplete(done -> {
                    protocolProbes.remove(key, probe.future());
                    probe.complete();
                });
    }

    /** Blob storage: HTTPS only (or the same insecure registry), at most three hops, credentials only to the registry itself. */
    private Future<RegistryResponse> redirect(Target from, RegistryResponse r, MultiMap headers, int maxBytes, long deadline, int hop) {
        String location = r.header("Location");
        if (location == null || hop > MAX_REDIRECTS) {
            return Future.failedFuture(RegistryException.permanent(from.registryKey() + " redirected a blob "
                    + (location == null ? "without a Location" : "more than " + MAX_REDIRECTS + " times")));
        }
        URI next;
        try {
            next = URI.create(from.origin() + "/").resolve(location);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(RegistryException.permanent(from.registryKey() + " redirected to an invalid location"));
        }
        if (next.getHost() == null) {
            return Future.failedFuture(RegistryException.permanent(from.registryKey() + " redirected to an invalid location"));
        }
        Target target = Target.of(next, from);
        boolean sameRegistry = target.registryKey().equals(from.registryKey());
        if (!target.tls() && !(sameRegistry && insecure.contains(from.registryKey()))) {
            return Future.failedFuture(RegistryException.permanent("refusing a redirect from " + from.registryKey() + " to "
                    + next.getScheme() + "://" + next.getHost() + ": blobs are fetched over https only"));
        }
        MultiMap nextHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        if (!sameRegistry) {
            nextHeaders.remove("Authorization"); // storage URLs are pre-signed; the registry's token is not theirs
        }
        String uri = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
        return transport.send(target, HttpMethod.GET, uri, nextHeaders, maxBytes, deadline)
                .compose(resp -> isRedirect(resp.status()) ? redirect(target, resp, nextHeaders, maxBytes, deadline, hop + 1)
                        : Future.succeededFuture(resp));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static RegistryResponse checkStatus(String registryKey, String repository, String uri, RegistryResponse r) {
        int s = r.status();
        if (s >= 200 && s < 300) {
            return r;
        }
        String what = describe(registryKey, uri);
        String detail = errorDetail(r.body());
        if (s == 404) {
            throw RegistryException.permanent(what + " was not found in the registry" + detail);
        }
        if (s == 401 || s == 403) {
            throw RegistryException.permanent(registryKey + " denied access to " + repository + detail);
        }
        if (s == 429) {
            String retry = r.header("Retry-After");
            throw new RateLimitedException(registryKey + " is rate limiting requests (429)", retry);
        }
        if (s >= 500) {
            throw RegistryException.transientFailure(registryKey + " answered " + s + " for " + what);
        }
        throw RegistryException.permanent(registryKey + " answered " + s + " for " + what + detail);
    }

    /** {@code /v2/org/app/manifests/1} as a person writes it: {@code registry/org/app:1}, or {@code @sha256:...}, or the blob. */
    private static String describe(String registryKey, String uri) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^/v2/(.+)/(manifests|blobs)/([^/?]+)").matcher(uri);
        if (!m.find()) {
            return registryKey + uri;
        }
        String ref = m.group(3);
        String image = registryKey + "/" + m.group(1) + (ref.contains(":") ? "@" + ref : ":" + ref);
        return m.group(2).equals("blobs") ? "the blob " + ref + " of " + registryKey + "/" + m.group(1) : image;
    }

    /** The registry's own error code and message, short and printable, for the decision's reason. */
    private static String errorDetail(byte[] body) {
        if (body == null || body.length == 0 || body.length > 16 * 1024) {
            return "";
        }
        try {
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            String code = first.path("code").asText("");
            String message = first.path("message").asText("");
            String text = (code + (message.isEmpty() ? "" : ": " + message)).replaceAll("\\p{Cntrl}", " ");
            return text.isBlank() ? "" : " (" + (text.length() > 160 ? text.substring(0, 160) + "..." : text) + ")";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
