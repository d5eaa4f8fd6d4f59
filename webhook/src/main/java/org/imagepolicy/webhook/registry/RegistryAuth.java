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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.imagepolicy.webhook.registry.credentials.Credential;
import org.imagepolicy.webhook.registry.credentials.CredentialIdentity;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;

/**
 * Answers a registry's 401 challenge for one credential (or none): Basic, or the Bearer token flow (realm,
 * service, scope), with tokens cached per registry, scope and credential content until they expire. A
 * realm on another host is followed only over HTTPS or when the operator named that host; when that host
 * has a credential of its own, it is the one presented to the token service (delegated authentication).
 * Credentials and tokens never appear in a message.
 */
final class RegistryAuth {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_RESPONSE = 64 * 1024;
    private static final long DEFAULT_TOKEN_SECONDS = 60;

    private record Token(String header, long lifetimeNanos) {
    }

    private final RegistryTransport transport;
    private final java.util.function.Predicate<String> namedHosts;
    /** Each registry's token realm host, once a challenge named it: which credentials the token request uses. */
    private final Map<String, String> realms = new ConcurrentHashMap<>();
    private final Cache<String, Token> tokens = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfter(Expiry.creating((String key, Token t) -> java.time.Duration.ofNanos(t.lifetimeNanos())))
            .build();

    /** @param namedHosts whether an operator named a registry key (asked at each challenge: the policy's part may change) */
    RegistryAuth(RegistryTransport transport, java.util.function.Predicate<String> namedHosts) {
        this.transport = transport;
        this.namedHosts = namedHosts;
    }

    /**
     * A cached Authorization header for this registry and scope, for the first of the credentials that has
     * one (or for anonymous access when there are none), sent up front to save a round trip.
     */
    String cached(String registryKey, String scope, List<Credential> credentials, CredentialSource source) {
        String realm = realmCredentialIdentity(registryKey, source);
        if (credentials.isEmpty()) {
            Token t = tokens.getIfPresent(key(registryKey, scope, null, realm));
            return t == null ? null : t.header();
        }
        for (Credential c : credentials) {
            Token t = tokens.getIfPresent(key(registryKey, scope, c, realm));
            if (t != null) {
                return t.header();
            }
        }
        return null;
    }

    /** Forgets a header the registry refused, so the next request does not present it again. */
    void refused(String registryKey, String scope, Credential credential, CredentialSource source) {
        tokens.invalidate(key(registryKey, scope, credential, realmCredentialIdentity(registryKey, source)));
    }

    /**
     * Whose credentials a registry's answers depend on besides its own matching ones: those of its token
     * realm's host, once known. {@code null} while the realm is unknown (no challenge seen yet).
     */
    String realmCredentialIdentity(String registryKey, CredentialSource source) {
        String realmHost = realms.get(registryKey);
        if (realmHost == null) {
            return null;
        }
        return realmHost.equals(registryKey) ? "" : CredentialIdentity.of(source.credentialsFor(realmHost, ""));
    }

    /**
     * @param credential the registry's credential to try, {@code null} for anonymous access
     * @param source all the request's credentials, for a token realm on another host
     */
    Future<String> authorize(Target registry, Challenge challenge, String scope, Credential credential, CredentialSource source,
            long deadlineNanos) {
        if (challenge != null && challenge.isBasic()) {
            realms.put(registry.registryKey(), registry.registryKey()); // Basic: the registry's own credentials decide
            if (credential == null) {
                return Future.failedFuture(RegistryException.permanent(registry.registryKey() + " asks for a user name and password,"
                        + " and no pull secret or --registry-auth entry matches it"));
            }
            String header = basic(credential);
            tokens.put(key(registry.registryKey(), scope, credential, realmCredentialIdentity(registry.registryKey(), source)),
                    new Token(header, 3_600_000_000_000L));
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
        realms.put(registry.registryKey(), realmTarget.registryKey());
        if (!realmTarget.tls() && !sameHost && !namedHosts.test(realmTarget.registryKey())) {
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
        // Delegated authentication: a credential for the realm's own host wins over the registry's.
        List<Credential> realmOwn = sameHost ? List.of() : source.credentialsFor(realmTarget.registryKey(), "");
        Credential presented = realmOwn.isEmpty() ? credential : realmOwn.get(0);
        if (presented != null) {
            headers.add("Authorization", basic(presented));
        }
        String tokenKey = key(registry.registryKey(), scope, credential, realmCredentialIdentity(registry.registryKey(), source));
        return transport.send(realmTarget, HttpMethod.GET, uri.toString(), headers, MAX_TOKEN_RESPONSE, deadlineNanos).map(response -> {
            if (response.status() == 401 || response.status() == 403) {
                throw RegistryException.permanent("the token service of " + registry.registryKey() + " refused "
                        + (presented == null ? "anonymous access" : "the credentials of " + presented.username() + " (" + presented.source() + ")"));
            }
            if (response.status() != 200) {
                throw response.status() >= 500 || response.status() == 429
                        ? RegistryException.transientFailure("the token service of " + registry.registryKey() + " answered " + response.status())
                        : RegistryException.permanent("the token service of " + registry.registryKey() + " answered " + response.status());
            }
            Token token = parseToken(registry, response.body());
            tokens.put(tokenKey, token);
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

    private static String basic(Credential c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** By the credentials' content, not their user names: two tenants may share a user name, never a token. */
    private static String key(String registryKey, String scope, Credential credential, String realmIdentity) {
        return registryKey + '\n' + scope + '\n' + CredentialIdentity.of(credential) + '\n' + (realmIdentity == null ? "" : realmIdentity);
    }
}
