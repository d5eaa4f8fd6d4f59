package org.imagepolicy.webhook.admission;

/**
 * One image reference found in an object: where it is ({@code spec.containers[0].image}) and what it
 * names. Pods carry {@code DockerImage} strings; builds carry object references that may also name an
 * {@code ImageStreamTag} or {@code ImageStreamImage}.
 */
public record ImageField(String path, String kind, String name, String namespace) {
    public static final String DOCKER_IMAGE = "DockerImage";

    public static ImageField dockerImage(String path, String image) {
        return new ImageField(path, DOCKER_IMAGE, image, "");
    }

    public boolean isDockerImage() {
        return DOCKER_IMAGE.equals(kind);
    }

    /** How a message names it: the image string, or the kind and name of an image stream reference. */
    public String display() {
        if (isDockerImage()) {
            return "\"" + name + "\"";
        }
        String ns = namespace == null || namespace.isEmpty() ? "" : namespace + "/";
        return (kind == null || kind.isEmpty() ? "reference" : kind) + " \"" + ns + name + "\"";
    }
}
