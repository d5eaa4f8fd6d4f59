package org.imagepolicy.webhook.registry.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The credentials of one Docker config (a {@code --registry-auth} file or one pull secret), immutable and
 * safe to share between threads.
 *
 * <p>Entries are kept most specific first ({@link RegistryKey#MOST_SPECIFIC_FIRST}: more path components,
 * then exact hosts before globs, then globs with more literal characters); ties keep the order of the
 * document, so an administrator controls which of two equally specific keys is tried first. The kubelet
 * instead sorts keys in reverse string order, which mostly agrees but, for instance, ranks {@code a.example.com}
 * above {@code *.example.com/team}.
 */
public final class DockerConfigCredentials implements CredentialSource {
    private final String source;
    private final List<DockerConfigParser.Entry> entries;
    private final List<String> warnings;

    private DockerConfigCredentials(String source, List<DockerConfigParser.Entry> entries, List<String> warnings) {
        this.source = source;
        List<DockerConfigParser.Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> RegistryKey.MOST_SPECIFIC_FIRST.compare(a.key(), b.key())); // stable: ties keep document order
        this.entries = List.copyOf(sorted);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Parses a Docker config.
     *
     * @param source names the config in messages and in {@link Credential#source()}, e.g. a file name
     * @throws CredentialsException naming the source and the key at fault, never a secret
     */
    public static DockerConfigCredentials parse(String source, String json, DockerConfigFormat format)
            throws CredentialsException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(format, "format");
        DockerConfigParser.Parsed parsed = DockerConfigParser.parse(source, json, format);
        return new DockerConfigCredentials(source, parsed.entries(), parsed.warnings());
    }

    /** Parses either layout, telling them apart by content ({@link DockerConfigFormat#DETECT}). */
    public static DockerConfigCredentials parse(String source, String json) throws CredentialsException {
        return parse(source, json, DockerConfigFormat.DETECT);
    }

    @Override
    public List<Credential> credentialsFor(String registryHost, String repositoryPath) {
        RegistryKey.Target target = RegistryKey.Target.of(registryHost, repositoryPath);
        List<Credential> matching = new ArrayList<>();
        for (DockerConfigParser.Entry entry : entries) {
            if (entry.key().matches(target)) {
                matching.add(entry.credential());
            }
        }
        return List.copyOf(matching);
    }

    public String source() {
        return source;
    }

    /** The keys as written, in the order they are tried. */
    public List<String> keys() {
        return entries.stream().map(e -> e.key().text()).toList();
    }

    /** What was ignored (credential helpers, headers, empty entries, unknown fields); never a secret. */
    public List<String> warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return "DockerConfigCredentials[source=" + source + ", keys=" + keys() + "]";
    }
}
