package org.imagepolicy.webhook.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests: every manifest and blob fetched is checked against the digest it was asked for. */
final class Digests {
    private Digests() {
    }

    static String sha256(byte[] content) {
        return "sha256:" + hex("SHA-256", content);
    }

    /** Throws a permanent failure when the content does not hash to the digest: a mismatch is an error, never data. */
    static void verify(String digest, byte[] content, String what) {
        int colon = digest.indexOf(':');
        String algorithm = colon < 0 ? "" : digest.substring(0, colon);
        String jca;
        switch (algorithm) {
            case "sha256":
                jca = "SHA-256";
                break;
            case "sha384":
                jca = "SHA-384";
                break;
            case "sha512":
                jca = "SHA-512";
                break;
            default:
                throw RegistryException.permanent(what + " has an unsupported digest algorithm \"" + algorithm + "\"");
        }
        String actual = algorithm + ":" + hex(jca, content);
        if (!actual.equals(digest)) {
            throw RegistryException.permanent(what + " does not match its digest " + digest + " (the registry sent content hashing to "
                    + actual + "); refusing it");
        }
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
