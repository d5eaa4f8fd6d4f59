package org.imagepolicy.webhook.registry;

import java.util.Set;

/** The manifest formats the client understands, and the Accept header that asks for all of them. */
final class MediaTypes {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** Without the list types a registry would convert an index to one platform's manifest, with another digest. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {
    }

    static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    /** The type without parameters: registries may send {@code ...+json; charset=utf-8}. */
    static String bare(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }
}
