package org.imagepolicy.webhook.cluster;

/** A secret's namespace and name, as {@code --global-pull-secret NAMESPACE/NAME} writes it. */
public record SecretRef(String namespace, String name) {

    /** @throws IllegalArgumentException saying what to write */
    public static SecretRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("--global-pull-secret: write NAMESPACE/NAME, e.g. openshift-config/pull-secret (was \"" + text + "\")");
        }
        return new SecretRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
