package org.imagepolicy.webhook.cluster;

import org.imagepolicy.webhook.registry.credentials.DockerConfigCredentials;

/**
 * A pull secret as the webhook keeps it: parsed credentials and a digest of their content, never the
 * Secret object; or why it cannot be used.
 *
 * @param contentDigest names the content in cache keys (so a changed secret is a new tenant); not secret
 * @param problem {@code null} when usable; otherwise a reason a person can act on, without the secret's value
 */
record PullSecret(String namespace, String name, DockerConfigCredentials credentials, String contentDigest, String problem) {

    String ref() {
        return namespace + "/" + name;
    }
}
