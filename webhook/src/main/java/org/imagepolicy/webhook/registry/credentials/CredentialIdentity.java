package org.imagepolicy.webhook.registry.credentials;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Names a credential by a digest of its content, for cache keys that must keep tenants apart: two
 * credentials with one user name but different passwords are different tenants. The digest is computed
 * once per credential object (credentials are parsed once and shared) and never leaves the process.
 */
public final class CredentialIdentity {
    /** Weak keys compare by identity: a credential dropped with its secret is dropped here too. */
    private static final Cache<Credential, String> DIGESTS = Caffeine.newBuilder().weakKeys().build();

    private CredentialIdentity() {
    }

    /** {@code ""} for anonymous access. */
    public static String of(Credential c) {
        if (c == null) {
            return "";
        }
        return DIGESTS.get(c, k -> sha256(k.username() + '\0' + k.password() + '\0' + k.identityToken()));
    }

    /** The credentials in order, as one name. */
    public static String of(List<Credential> credentials) {
        if (credentials.isEmpty()) {
            return "";
        }
        if (credentials.size() == 1) {
            return of(credentials.get(0));
        }
        StringBuilder out = new StringBuilder();
        for (Credential c : credentials) {
            out.append(of(c)).append(',');
        }
        return out.toString();
    }

    public static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
