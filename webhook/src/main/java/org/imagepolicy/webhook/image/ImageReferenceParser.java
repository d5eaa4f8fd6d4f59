package org.imagepolicy.webhook.image;

/**
 * A hand-written scanner for the distribution reference grammar. It runs for every image of every
 * admission, so it avoids regular expressions and allocates only the component strings it returns.
 */
final class ImageReferenceParser {
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_TAG_LENGTH = 128;

    private ImageReferenceParser() {
    }

    static ImageReference parse(String image) {
        if (image == null || image.isEmpty()) {
            throw new InvalidImageReferenceException("the image is empty");
        }
        for (int i = 0; i < image.length(); i++) {
            if (Character.isWhitespace(image.charAt(i)) || Character.isISOControl(image.charAt(i))) {
                throw new InvalidImageReferenceException("the image contains whitespace or control characters");
            }
        }
        ImageIds.refuseImageId(image);
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            checkDigest(digest);
        }
        String tag = null;
        int colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            checkTag(tag);
        }
        if (rest.isEmpty()) {
            throw new InvalidImageReferenceException("the image has no repository name");
        }
        String registry = "";
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0 && looksLikeRegistry(rest, slash)) {
            registry = rest.substring(0, slash);
            path = rest.substring(slash + 1);
            checkRegistry(registry);
        }
        checkLength(registry, path);
        checkPath(path);
        return new ImageReference(image, registry, path, tag, digest);
    }

    /**
     * The current grammar (distribution/reference v0.6.0) limits the path, not the registry, to 255
     * characters, and counts it as the normalizing parser sees it: a Docker Hub official image's path
     * includes the {@code library/} it gains.
     */
    private static void checkLength(String registry, String path) {
        int length = path.length();
        if (path.indexOf('/') < 0 && (registry.isEmpty() || RegistryName.canonical(registry).equals(ImageReference.DOCKER_HUB))) {
            length += "library/".length();
        }
        if (length > MAX_NAME_LENGTH) {
            throw new InvalidImageReferenceException("the repository path is longer than " + MAX_NAME_LENGTH + " characters");
        }
    }

    /** Docker's rule: the first component is a registry if it has a dot, a colon or capitals, or is localhost. */
    private static boolean looksLikeRegistry(String name, int end) {
        if (end == 9 && name.startsWith("localhost")) {
            return true;
        }
        for (int i = 0; i < end; i++) {
            char c = name.charAt(i);
            if (c == '.' || c == ':' || (c >= 'A' && c <= 'Z') || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** A registry as an image names it: a host or bracketed IPv6 address, optionally a port. */
    static void checkRegistry(String registry) {
        RegistryName.check(registry);
    }

    static boolean isHostname(String host) {
        if (host.isEmpty()) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= host.length(); i++) {
            if (i == host.length() || host.charAt(i) == '.') {
                if (!isLabel(host, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
            }
        }
        return true;
    }

    private static boolean isLabel(String s, int from, int to) {
        if (to <= from || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || (c >= 'A' && c <= 'Z') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Path components are {@code [a-z0-9]+} joined by one of {@code .}, {@code _}, {@code __} or a run of {@code -}. */
    static void checkPath(String path) {
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                checkComponent(path, start, i);
                start = i + 1;
            }
        }
    }

    private static void checkComponent(String path, int from, int to) {
        if (to == from) {
            throw new InvalidImageReferenceException("the repository name \"" + path + "\" has an empty path component");
        }
        boolean upper = false;
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            if (!(isAlnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-')) {
                throw badComponent(path);
            }
        }
        if (upper) {
            throw new InvalidImageReferenceException("repository name must be lowercase");
        }
        if (!isAlnum(path.charAt(from)) || !isAlnum(path.charAt(to - 1))) {
            throw badComponent(path);
        }
        int i = from;
        while (i < to) {
            char c = path.charAt(i);
            if (isAlnum(c)) {
                i++;
                continue;
            }
            int sepStart = i;
            if (c == '.') {
                i++;
            } else if (c == '_') {
                i++;
                if (i < to && path.charAt(i) == '_') {
                    i++;
                }
            } else if (c == '-') {
                while (i < to && path.charAt(i) == '-') {
                    i++;
                }
            } else {
                throw badComponent(path);
            }
            if (i == sepStart || i >= to || !isAlnum(path.charAt(i))) {
                throw badComponent(path);
            }
        }
    }

    private static InvalidImageReferenceException badComponent(String path) {
        return new InvalidImageReferenceException("invalid repository name \"" + path
                + "\": path components are lowercase letters and digits, separated by '.', '_', '__' or '-'");
    }

    static void checkTag(String tag) {
        boolean ok = !tag.isEmpty() && tag.length() <= MAX_TAG_LENGTH && isWord(tag.charAt(0));
        for (int i = 1; ok && i < tag.length(); i++) {
            char c = tag.charAt(i);
            ok = isWord(c) || c == '.' || c == '-';
        }
        if (!ok) {
            throw new InvalidImageReferenceException("invalid tag \"" + tag
                    + "\": a tag is up to 128 letters, digits, '_', '.' or '-', and does not start with '.' or '-'");
        }
    }

    static void checkDigest(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0) {
            throw new InvalidImageReferenceException("invalid digest \"" + digest + "\": expected algorithm:hex, as in sha256:<64 hex digits>");
        }
        String algorithm = digest.substring(0, colon);
        int expected;
        switch (algorithm) {
            case "sha256":
                expected = 64;
                break;
            case "sha384":
                expected = 96;
                break;
            case "sha512":
                expected = 128;
                break;
            default:
                throw new InvalidImageReferenceException("unsupported digest algorithm \"" + algorithm + "\": use sha256, sha384 or sha512");
        }
        int hexLength = digest.length() - colon - 1;
        boolean ok = hexLength == expected;
        for (int i = colon + 1; ok && i < digest.length(); i++) {
            char c = digest.charAt(i);
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }
        if (!ok) {
            throw new InvalidImageReferenceException("invalid digest \"" + digest + "\": " + algorithm + " needs exactly "
                    + expected + " lowercase hex digits");
        }
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isWord(char c) {
        return isAlnum(c) || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
