package org.imagepolicy.webhook.registry.credentials;

import java.util.List;
import java.util.Objects;

/**
 * The credentials one admission may use, in the kubelet's order (the pod's own pull secrets, its service
 * account's, then the global ones), with what went wrong gathering them.
 *
 * @param identity stands for every credential the source can return, so answers learned with them are
 *     cached apart from other tenants'; equal identities must mean equal credentials. Never a secret: a
 *     digest of the secrets' content, or a fixed name for the global source.
 * @param notes why an expected credential is absent ("pull secret team-a/regcred not found"), added to a
 *     failed lookup's reason so the person denied knows what to fix
 */
public record PullCredentials(CredentialSource source, String identity, List<String> notes) {

    public PullCredentials {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(identity, "identity");
        notes = List.copyOf(notes);
    }

    /** The webhook's own credentials ({@code --registry-auth}), the same for every request. */
    public static PullCredentials global(CredentialSource source) {
        return new PullCredentials(source, source == CredentialSource.anonymous() ? "" : "global", List.of());
    }

    /** Whether the source can return no credential at all: then every answer it gets is public. */
    public boolean anonymous() {
        return identity.isEmpty();
    }
}
