package org.imagepolicy.webhook.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.registry.credentials.Credential;

/**
 * Answers a registry's 401 challenge: Basic with the matching credential, or the Bearer token flow
 * (realm, service, scope), with tokens cached per registry, scope and credential until they expire. A
 * realm on another host is followed only over HTTPS or when the operator named that host. Credentials
 * and tokens never appear in a message.
 */
final class RegistryAuth {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_RESPONSE = 64 * 1024;
    private static final long DEFAULT_TOKEN_SECONDS = 60;

    private record Token(String header, long lifetimeNanos) {
    }

    private final RegistryTransport transport;
    private final Set<String> namedHosts;
    private final Cache<String, Token> tokens = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfter(Expiry.creating((String key, Token t) -> java.time.Duration.ofNanos(t.lifetimeNanos())))
            .build();

    RegistryAuth(RegistryTransport transport, Set<String> namedHosts) {
        this.transport = transport;
        this.namedHosts = Set.copyOf(namedHosts);
    }

    /** A cached Authorization header for this registry and scope, sent up front to save a round trip. */
    String cached(String registryKey, String scope, List<Credential> credentials) {
        Token t = tokens.getIfPresent(key(registryKey, scope, credentials));
        return t == null ? null : t.header();
    }

    Future<String> authorize(Target registry, Challenge challenge, String scope, List<Credential> credentials, long deadlineNanos) {
        if (challenge != null && challenge.isBasic()) {
            if (credentials.isEmpty()) {
                return Future.failedFuture(RegistryException.permanent(registry.registryKey() + " asks for a user name and password,"
                        + " and no --registry-auth entry matches it"));
            }
            Credential c = credentials.get(0);
            String header = "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
            tokens.put(key(registry.registryKey(), scope, credentials), new Token(header, 3_600_000_000_000L));
            return Future.succeededFuture(header);
        }
        if (challenge == null || !challenge.isBearer() || challenge.param("realm") == null) {
            return Future.failedFuture(RegistryException.permanent(registry.registryKey() + " refused the request without saying how to"
                    + " authenticate (no usable WWW-Authenticate challenge)"));
        }
        URI realm;
        try {
            realm = URI.create(challenge.param("realm"));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(RegistryException.permanent(registry.registryKey() + " named an invalid token realm"));
        }
        if (realm.getHost() == null || !("https".equalsIgnoreCase(realm.getScheme()) || "http".equalsIgnoreCase(realm.getScheme()))) {
            return Future.failedFuture(RegistryException.permanent(registry.registryKey() + " named an unusable token realm " + realm));
        }
        Target realmTarget = Target.of(realm, registry);
        boolean sameHost = realmTarget.registryKey().equals(registry.registryKey());
        if (!realmTarget.tls() && !sameHost && !namedHosts.contains(realmTarget.registryKey())) {
            return Future.failedFuture(RegistryException.permanent("refusing the token realm " + realm + " of " + registry.registryKey()
                    + ": a realm on another host must use https, or be named in --insecure-registry"));
        }
        StringBuilder uri = new StringBuilder(realm.getRawPath() == null || realm.getRawPath().isEmpty() ? "/" : realm.getRawPath());
        char sep = '?';
        if (realm.getRawQuery() != null) {
            uri.append('?').append(realm.getRawQuery());
            sep = '&';
        }
        if (challenge.param("service") != null) {
            uri.append(sep).append("service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8));
            sep = '&';
        }
        String wanted = challenge.param("scope") != null ? challenge.param("scope") : scope;
        if (wanted != null) {
            uri.append(sep).append("scope=").append(URLEncoder.encode(wanted, StandardCharsets.UTF_8));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
        if (!credentials.isEmpty()) {
            Credential c = credentials.get(0);
            headers.add("Authorization", "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password())
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return transport.send(realmTarget, HttpMethod.GET, uri.toString(), headers, MAX_TOKEN_RESPONSE, deadlineNanos).map(response -> {
            if (response.status() == 401 || response.status() == 403) {
                throw RegistryException.permanent("the token service of " + registry.registryKey() + " refused "
                        + (credentials.isEmpty() ? "anonymous access" : "the credentials of " + credentials.get(0).username()));
            }
            if (response.status() != 200) {
                throw response.status() >= 500 || response.status() == 429
                        ? RegistryException.transientFailure("the token service of " + registry.registryKey() + " answered " + response.status())
                        : RegistryException.permanent("the token service of " + registry.registryKey() + " answered " + response.status());
            }
            Token token = parseToken(registry, response.body());
            tokens.put(key(registry.registryKey(), scope, credentials), token);
            return token.header();
        });
    }

    private static Token parseToken(Target registry, byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw RegistryException.permanent("the token service of " + registry.registryKey() + " sent no token");
            }
            long seconds = json.path("expires_in").asLong(DEFAULT_TOKEN_SECONDS);
            // Renew a little early, so a token never expires between the cache and the registry.
            long lifetime = Math.max(5, seconds - Math.max(5, seconds / 10)) * 1_000_000_000L;
            return new Token("Bearer " + token, lifetime);
        } catch (IOException e) {
            throw RegistryException.permanent("the token service of " + registry.registryKey() + " sent invalid JSON");
        }
    }

    private static String key(String registryKey, String scope, List<Credential> credentials) {
        return registryKey + '\n' + scope + '\n' + (credentials.isEmpty() ? "" : credentials.get(0).username());
    }
}
