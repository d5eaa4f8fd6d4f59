package org.imagepolicy.webhook.image;

import java.util.ArrayList;
import java.util.List;

/**
 * A repository in a policy, {@code host/path}, compared component by component after Docker Hub
 * normalization: {@code *} is exactly one component and a trailing {@code /**} one or more. So
 * {@code quay.io/myorg/**} never matches {@code quay.io/myorg-evil/x}.
 */
public record RepositoryPattern(String text, HostPattern host, List<String> components, boolean anyDepthTail) {

    private static final String ONE = "*";
    private static final String MANY = "**";

    public static RepositoryPattern parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("a repository entry is empty; write host/path, as in quay.io/myorg/**");
        }
        if (entry.contains("://")) {
            throw new IllegalArgumentException("repository \"" + entry + "\" is a URL; write host/path without the scheme");
        }
        int slash = entry.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("repository \"" + entry + "\" has no path; write host/path (as in "
                    + entry + "/**), or use matchRegistries for a whole registry");
        }
        if (entry.indexOf(':', slash) >= 0 || entry.indexOf('@') >= 0) {
            throw new IllegalArgumentException("repository \"" + entry + "\" has a tag or digest; patterns name repositories only");
        }
        HostPattern host = HostPattern.parse(entry.substring(0, slash));
        String[] parts = entry.substring(slash + 1).split("/", -1);
        List<String> components = new ArrayList<>(parts.length + 1);
        boolean tail = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals(MANY)) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("repository \"" + entry + "\": ** may only be the last component");
                }
                tail = true;
            } else if (part.equals(ONE)) {
                components.add(ONE);
            } else if (part.indexOf('*') >= 0) {
                throw new IllegalArgumentException("repository \"" + entry + "\": a wildcard must be a whole component (* or a trailing **)");
            } else {
                try {
                    ImageReferenceParser.checkPath(part);
                } catch (InvalidImageReferenceException e) {
                    throw new IllegalArgumentException("repository \"" + entry + "\": " + e.getMessage(), e);
                }
                components.add(part);
            }
        }
        // Docker Hub's official images live under library/, so docker.io/nginx means docker.io/library/nginx.
        if (!host.wildcard() && host.host().equals(ImageReference.DOCKER_HUB)
                && (host.port() == RegistryName.NO_PORT || host.port() == RegistryName.DEFAULT_PORT)
                && components.size() == 1 && !tail) {
            components.add(0, "library");
        }
        if (components.isEmpty() && !tail) {
            throw new IllegalArgumentException("repository \"" + entry + "\" has no path");
        }
        return new RepositoryPattern(entry, host, List.copyOf(components), tail);
    }

    /** Matches the output of {@link ImageReference#canonicalRepository(String)}, on the port its host names. */
    public boolean matches(String canonicalRepository) {
        return matches(canonicalRepository, false);
    }

    /**
     * @param anyPortWhenNoneWritten whether a host without a port covers every port (where a match denies),
     *                               as {@link HostPattern#matches(String, boolean)}
     */
    public boolean matches(String canonicalRepository, boolean anyPortWhenNoneWritten) {
        if (canonicalRepository == null) {
            return false;
        }
        int slash = canonicalRepository.indexOf('/');
        if (slash < 0 || !host.matches(canonicalRepository.substring(0, slash), anyPortWhenNoneWritten)) {
            return false;
        }
        int pos = slash + 1;
        for (String expected : components) {
            if (pos > canonicalRepository.length()) {
                return false;
            }
            int end = canonicalRepository.indexOf('/', pos);
            if (end < 0) {
                end = canonicalRepository.length();
            }
            if (!expected.equals(ONE)
                    && !(end - pos == expected.length() && canonicalRepository.startsWith(expected, pos))) {
                return false;
            }
            pos = end + 1;
        }
        boolean nothingLeft = pos > canonicalRepository.length();
        return anyDepthTail ? !nothingLeft : nothingLeft;
    }

    @Override
    public String toString() {
        return text;
    }
}
