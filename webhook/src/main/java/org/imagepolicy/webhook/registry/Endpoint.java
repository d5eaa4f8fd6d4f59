package org.imagepolicy.webhook.registry;

import org.imagepolicy.webhook.image.ImageReference;

/** Where a registry's API lives: Docker Hub's name is not its API host, and ports default by scheme. */
record Endpoint(String registryKey, String host, int port) {

    static final String DOCKER_HUB_API = "registry-1.docker.io";

    /** @param registryKey a canonical registry, as {@link ImageReference#registryKey()} gives it */
    static Endpoint of(String registryKey) {
        if (registryKey.equals(ImageReference.DOCKER_HUB)) {
            return new Endpoint(registryKey, DOCKER_HUB_API, 443);
        }
        int close = registryKey.lastIndexOf(']');
        int colon = registryKey.indexOf(':', close + 1);
        if (colon < 0) {
            return new Endpoint(registryKey, registryKey, -1);
        }
        return new Endpoint(registryKey, registryKey.substring(0, colon), Integer.parseInt(registryKey.substring(colon + 1)));
    }

    int port(boolean tls) {
        return port > 0 ? port : tls ? 443 : 80;
    }
}
