package org.imagepolicy.webhook.image;

/**
 * How the OpenShift image API would read a reference: its kind ({@code DockerImage}, {@code ImageStreamTag},
 * {@code ImageStreamImage}), the namespace local names and image streams are looked up in (the reference's
 * own, else the request's), the name as written, and whether the object asked for every name to be resolved
 * locally ({@code alpha.image.policy.openshift.io/resolve-names: "*"}).
 */
public record ClusterName(String kind, String namespace, String name, boolean forceLocal) {
    public static final String DOCKER_IMAGE = "DockerImage";
    public static final String IMAGE_STREAM_TAG = "ImageStreamTag";
    public static final String IMAGE_STREAM_IMAGE = "ImageStreamImage";

    public ClusterName {
        namespace = namespace == null ? "" : namespace;
    }
}
