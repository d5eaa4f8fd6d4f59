package org.imagepolicy.webhook.registry.testing;

/**
 * The media types the harness pushes, and the Accept header that asks for any of them. Named apart from
 * the main code's {@code registry.MediaTypes} so that tests can use both without confusion.
 */
public final class TestMediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /**
     * All four manifest kinds. A registry serves a list or index only to clients that accept it (2.8
     * otherwise picks the linux/amd64 child), and converts a schema2 manifest to schema1 for clients
     * that accept neither, so the digest a client sees depends on this header.
     */
    public static final String ACCEPT_ANY_MANIFEST = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST,
            DOCKER_MANIFEST_LIST);

    private TestMediaTypes() {
    }
}
