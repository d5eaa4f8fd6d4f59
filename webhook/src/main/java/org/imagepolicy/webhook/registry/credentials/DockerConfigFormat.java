package org.imagepolicy.webhook.registry.credentials;

import java.util.Optional;

/** The two layouts of a Docker credentials config, as the two Kubernetes pull-secret types carry them. */
public enum DockerConfigFormat {
    /** {@code kubernetes.io/dockerconfigjson}, key {@code .dockerconfigjson}: entries under {@code "auths"}. */
    CONFIG_JSON,
    /** {@code kubernetes.io/dockercfg}, key {@code .dockercfg}: the older layout, entries at the top level. */
    DOCKERCFG,
    /**
     * Decide from the content, for files given on the command line: an {@code "auths"} object, or any of
     * config.json's other top-level settings, means {@link #CONFIG_JSON}; otherwise {@link #DOCKERCFG}.
     */
    DETECT;

    /** The format a Kubernetes Secret of this type holds, or empty when the type is not a pull secret. */
    public static Optional<DockerConfigFormat> forSecretType(String secretType) {
        if ("kubernetes.io/dockerconfigjson".equals(secretType)) {
            return Optional.of(CONFIG_JSON);
        }
        if ("kubernetes.io/dockercfg".equals(secretType)) {
            return Optional.of(DOCKERCFG);
        }
        return Optional.empty();
    }

    /** The data key under which a pull secret of this format stores its JSON; {@code null} for {@link #DETECT}. */
    public String secretDataKey() {
        return switch (this) {
            case CONFIG_JSON -> ".dockerconfigjson";
            case DOCKERCFG -> ".dockercfg";
            case DETECT -> null;
        };
    }
}
