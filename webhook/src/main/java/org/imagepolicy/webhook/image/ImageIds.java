package org.imagepolicy.webhook.image;

/**
 * Strings a runtime reads as the ID of an image already on the node rather than as a name to pull.
 * containerd's CRI image service resolves {@code sha256:<hex>} (and, when no image has it as a name, a
 * prefix of one) as a local image ID and runs that image without pulling it; the Docker engine does the
 * same with a bare 64-hex ID. No registry or repository rule can judge such an image, so they are refused.
 */
final class ImageIds {
    /** The algorithms go-digest registers, so the ones containerd's digest parser accepts. */
    private static final String[] ALGORITHMS = {"sha256", "sha384", "sha512", "blake3"};
    private static final int ID_HEX_LENGTH = 64;

    private ImageIds() {
    }

    static void refuseImageId(String image) {
        int colon = image.indexOf(':');
        if (colon < 0) {
            if (image.length() == ID_HEX_LENGTH && isHex(image, 0)) {
                throw new InvalidImageReferenceException("it is an image ID, not a name (the reference grammar"
                        + " refuses 64-hex repository names): a runtime would run whatever local image has this ID without"
                        + " pulling it; name the image by repository and digest, as in registry.example.com/team/app@sha256:" + image);
            }
            return;
        }
        if (image.indexOf('/') >= 0 || image.indexOf('@') >= 0 || colon + 1 >= image.length() || !isHex(image, colon + 1)) {
            return;
        }
        for (String algorithm : ALGORITHMS) {
            if (colon == algorithm.length() && image.startsWith(algorithm)) {
                throw new InvalidImageReferenceException("it is an image ID, not a name: the container runtime"
                        + " would run whatever image on the node has this ID (or an ID starting with it) without pulling it,"
                        + " so no registry rule can judge it; name the image by repository and digest, as in"
                        + " registry.example.com/team/app@" + image);
            }
        }
    }

    /** Upper case too: a runtime that refuses it as a digest tries it as an ID prefix, never as a safe name. */
    private static boolean isHex(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
