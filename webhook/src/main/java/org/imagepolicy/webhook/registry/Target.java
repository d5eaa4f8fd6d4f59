package org.imagepolicy.webhook.registry;

import java.net.URI;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.RegistryName;

/**
 * One HTTP destination: the registry itself or, after a redirect, blob storage. {@code registryKey} is
 * the name trust and address checks are decided by.
 */
record Target(String registryKey, String host, int port, boolean tls) {

    static Target of(Endpoint endpoint, boolean tls) {
        return new Target(endpoint.registryKey(), endpoint.host(), endpoint.port(tls), tls);
    }

    /** A redirect's destination; a registry's own host keeps its registry key. */
    static Target of(URI uri, Target from) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost();
        boolean sameServer = host.equalsIgnoreCase(from.host()) && port == from.port();
        String key = sameServer ? from.registryKey() : key(uri.getPort() > 0 ? host + ":" + uri.getPort() : host);
        return new Target(key, host, port, tls);
    }

    /** Blob storage is judged by the same identity as registries, so a redirect cannot dress up a named host. */
    private static String key(String hostPort) {
        try {
            return RegistryName.canonical(hostPort);
        } catch (InvalidImageReferenceException e) {
            return hostPort.toLowerCase(java.util.Locale.ROOT);
        }
    }

    String origin() {
        return (tls ? "https://" : "http://") + host + (port == (tls ? 443 : 80) ? "" : ":" + port);
    }
}
