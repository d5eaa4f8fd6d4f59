package org.imagepolicy.webhook.image;

/**
 * One {@code allowedRegistriesForImport} entry ({@code RegistryLocation}: {@code domainName}, {@code insecure}),
 * compared as OpenShift's import whitelister does (openshift-apiserver {@code validation/whitelist}): a
 * {@code domainName} without a port means port 443, or port 80 when {@code insecure: true}; {@code host:*}
 * means any port; an image names port 443 unless it writes one (80 for an insecure ImageStreamImport), and
 * an insecure ImageStream tag without a port matches an entry on 80 or 443.
 *
 * <p>Deliberate differences: hosts compare by identity ({@link HostPattern}: case, Docker Hub's names, IP
 * forms), and the only host wildcard is a whole leftmost {@code *.}; upstream's free globs ({@code *}, {@code ?}
 * anywhere) would let {@code *my.registry.example.com*} admit {@code evilmy.registry.example.com.attacker.net}.
 *
 * @param host the host part, without a port
 * @param port the port the entry allows, {@link #ANY_PORT} for {@code host:*}
 */
public record ImportPattern(String domainName, boolean insecure, HostPattern host, int port) {
    public static final int ANY_PORT = -2;
    public static final int HTTP_PORT = 80;

    /** How an image is reached, which decides the port it counts as when it writes none. */
    public enum Transport {
        /** HTTPS: port 443. */
        SECURE,
        /** An insecure ImageStreamImport: port 80. */
        INSECURE,
        /** An insecure ImageStream tag, which falls back to HTTPS: 80 or 443. */
        ANY
    }

    /** Parses an entry, or throws {@link IllegalArgumentException} whose message says how to fix it. */
    public static ImportPattern parse(String domainName, boolean insecure) {
        if (domainName == null || domainName.isBlank()) {
            throw new IllegalArgumentException("domainName is empty; write a registry host such as quay.io, *.example.com or"
                    + " registry.example.com:5000");
        }
        String entry = domainName.strip();
        if (entry.startsWith("\\")) {
            throw new IllegalArgumentException("domainName \"" + domainName + "\": the backslash is the documentation's Markdown"
                    + " escape, not part of the name; write " + entry.substring(1));
        }
        if (entry.indexOf('?') >= 0) {
            throw new IllegalArgumentException("domainName \"" + domainName + "\": '?' wildcards are not supported (they would"
                    + " match registries nobody named); list each registry, or use *.domain for its subdomains");
        }
        if (entry.indexOf('/') >= 0) {
            throw new IllegalArgumentException("domainName \"" + domainName + "\" has a path; imports are allowed per registry,"
                    + " write only host[:port], as in " + entry.split("/", 2)[0]);
        }
        int anyPort = entry.endsWith(":*") ? ANY_PORT : 0;
        String hostPort = anyPort == ANY_PORT ? entry.substring(0, entry.length() - 2) : entry;
        HostPattern host;
        try {
            host = HostPattern.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^registry ", "domainName "), e);
        }
        int port = anyPort == ANY_PORT ? ANY_PORT
                : host.port() != RegistryName.NO_PORT ? host.port() : insecure ? HTTP_PORT : RegistryName.DEFAULT_PORT;
        String hostText = host.port() == RegistryName.NO_PORT ? hostPort : hostPort.substring(0, RegistryName.portSeparator(hostPort));
        return new ImportPattern(domainName, insecure, new HostPattern(hostText, host.host(), RegistryName.NO_PORT, host.wildcard()), port);
    }

    /**
     * Whether this entry allows importing the image.
     *
     * @param registry the registry as the image writes it; {@code ""} is Docker Hub, as the importer reads it
     */
    public boolean allows(String registry, Transport transport) {
        String key = registry.isEmpty() ? ImageReference.DOCKER_HUB : RegistryName.canonical(registry);
        int hostEnd = RegistryName.hostLength(key);
        if (!host.matches(key.substring(0, hostEnd), true)) {
            return false;
        }
        if (port == ANY_PORT) {
            return true;
        }
        int sep = RegistryName.portSeparator(registry);
        int written = sep < 0 ? RegistryName.NO_PORT : RegistryName.port(registry, sep + 1);
        if (written != RegistryName.NO_PORT) {
            return written == port;
        }
        switch (transport) {
            case INSECURE:
                return port == HTTP_PORT;
            case ANY:
                return port == HTTP_PORT || port == RegistryName.DEFAULT_PORT;
            default:
                return port == RegistryName.DEFAULT_PORT;
        }
    }

    /** How a message names the entry: {@code host:port}, as upstream lists its whitelist. */
    public String display() {
        return host.text() + ":" + (port == ANY_PORT ? "*" : Integer.toString(port));
    }

    @Override
    public String toString() {
        return display();
    }
}
