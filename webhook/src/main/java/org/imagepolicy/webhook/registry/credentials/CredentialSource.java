package org.imagepolicy.webhook.registry.credentials;

import java.util.List;

/**
 * Where registry credentials come from: the {@code --registry-auth} files today, pull secrets watched in the
 * cluster later. Callers only ask "what may I present to this repository", so new sources slot in without
 * the registry client knowing where a secret lives.
 */
@FunctionalInterface
public interface CredentialSource {

    /**
     * Every credential whose key covers the repository, most specific key first, so a client can try them in
     * order; an empty list means pull anonymously.
     *
     * @param registryHost the registry as in the image reference, {@code host[:port]}, Docker Hub as
     *     {@code docker.io} (its other spellings are folded here too); compared without regard to case
     * @param repositoryPath the repository without the registry, e.g. {@code library/nginx} or {@code org/team/app}
     */
    List<Credential> credentialsFor(String registryHost, String repositoryPath);

    /** The source with no credentials: every lookup is anonymous. Always the same object, so callers can tell. */
    static CredentialSource anonymous() {
        return Anonymous.INSTANCE;
    }

    /** Holds the one anonymous source (interfaces cannot have private fields). */
    final class Anonymous {
        static final CredentialSource INSTANCE = (host, path) -> List.of();

        private Anonymous() {
        }
    }

    /**
     * The sources asked in the given order, their answers concatenated. Like the kubelet's union keyring,
     * results are not re-sorted across sources: the first source's credentials are always tried first, so
     * the caller decides precedence (for example a pod's own pull secrets before the webhook's files).
     */
    static CredentialSource combine(List<? extends CredentialSource> sources) {
        return new CombinedCredentialSource(List.copyOf(sources));
    }

    static CredentialSource combine(CredentialSource... sources) {
        return combine(List.of(sources));
    }
}
