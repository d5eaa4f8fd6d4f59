package org.imagepolicy.webhook.image;

import java.util.Objects;

/**
 * A parsed container image pull spec, {@code [registry/]path[:tag][@digest]}, in the grammar of the
 * CNCF distribution project.
 *
 * <p>The registry is what the string names, with no defaulting: {@code nginx} has registry {@code ""},
 * exactly as upstream OpenShift sees it. Matching never looks at the raw string, only at
 * {@link #registryKey()} and the path components.
 */
public record ImageReference(String raw, String registry, String path, String tag, String digest) {

    /** The one name Docker Hub goes by when matching; the aliases below all fold into it. */
    public static final String DOCKER_HUB = "docker.io";

    public ImageReference {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(path, "path");
    }

    public static ImageReference parse(String image) {
        return ImageReferenceParser.parse(image);
    }

    /** True when the string names its registry; unqualified images are pulled from the runtime's default. */
    public boolean qualified() {
        return !registry.isEmpty();
    }

    /**
     * The registry's identity as the runtime dials it ({@link RegistryName}): lower case, Docker Hub's names
     * folded into {@value #DOCKER_HUB}, ports as numbers with {@code :443} dropped, IP literals canonical;
     * {@code ""} when unqualified.
     */
    public String registryKey() {
        return canonicalRegistry(registry);
    }

    /**
     * The repository as {@code host/path} after Docker Hub normalization ({@code docker.io/nginx} is
     * {@code docker.io/library/nginx}), or {@code null} for an unqualified image when no default registry is set.
     */
    public String canonicalRepository(String defaultRegistry) {
        String host = registryKey();
        if (host.isEmpty()) {
            if (defaultRegistry == null || defaultRegistry.isEmpty()) {
                return null;
            }
            host = canonicalRegistry(defaultRegistry);
        }
        String p = path;
        if (host.equals(DOCKER_HUB) && p.indexOf('/') < 0) {
            p = "library/" + p;
        }
        return host + "/" + p;
    }

    /** Upstream's {@code Exact()}: registry, path, then the digest if there is one, else the tag. */
    public String exact() {
        StringBuilder sb = new StringBuilder(raw.length());
        if (!registry.isEmpty()) {
            sb.append(registry).append('/');
        }
        sb.append(path);
        if (digest != null) {
            sb.append('@').append(digest);
        } else if (tag != null) {
            sb.append(':').append(tag);
        }
        return sb.toString();
    }

    /** The registry's identity, as {@link RegistryName#canonical(String)} defines it. */
    public static String canonicalRegistry(String registry) {
        return RegistryName.canonical(registry);
    }

    @Override
    public String toString() {
        return raw;
    }
}
