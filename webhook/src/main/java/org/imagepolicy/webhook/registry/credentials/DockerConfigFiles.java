package org.imagepolicy.webhook.registry.credentials;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The one place this package touches the disk: {@code serve --registry-auth FILE}, repeatable. A FILE may be a
 * Docker config in either layout, or a directory where a pull secret is mounted (its {@code .dockerconfigjson}
 * or {@code .dockercfg} key), so a Secret volume can be passed as is.
 */
public final class DockerConfigFiles {
    private static final Logger LOG = Logger.getLogger(DockerConfigFiles.class.getName());

    private DockerConfigFiles() {
    }

    /** All files, asked in the order given; each one's warnings are logged. */
    public static CredentialSource load(List<Path> paths) throws CredentialsException {
        List<CredentialSource> sources = new ArrayList<>();
        for (Path path : paths) {
            DockerConfigCredentials credentials = read(path);
            credentials.warnings().forEach(LOG::warning);
            sources.add(credentials);
        }
        return CredentialSource.combine(sources);
    }

    /** One file or mounted secret directory; warnings are returned, not logged. */
    public static DockerConfigCredentials read(Path path) throws CredentialsException {
        String source = path.toString();
        Path file = path;
        DockerConfigFormat format = formatFor(path.getFileName() == null ? "" : path.getFileName().toString());
        if (Files.isDirectory(path)) {
            file = null;
            for (DockerConfigFormat f : new DockerConfigFormat[] {DockerConfigFormat.CONFIG_JSON, DockerConfigFormat.DOCKERCFG}) {
                Path candidate = path.resolve(f.secretDataKey());
                if (file == null && Files.isRegularFile(candidate)) {
                    file = candidate;
                    format = f;
                }
            }
            if (file == null) {
                throw new CredentialsException(source, "is a directory without a .dockerconfigjson or .dockercfg file");
            }
            source = file.toString();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CredentialsException(source, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new CredentialsException(source, "cannot read: permission denied");
        } catch (CharacterCodingException e) {
            throw new CredentialsException(source, "is not UTF-8 text");
        } catch (IOException e) {
            // Not the exception's message: for malformed UTF-8 it can describe the bytes read.
            throw new CredentialsException(source, "cannot read: " + e.getClass().getSimpleName());
        }
        return DockerConfigCredentials.parse(source, text, format);
    }

    // A file named like a secret's data key says its layout; anything else is told apart by content.
    private static DockerConfigFormat formatFor(String fileName) {
        if (fileName.equals(".dockerconfigjson")) {
            return DockerConfigFormat.CONFIG_JSON;
        }
        if (fileName.equals(".dockercfg")) {
            return DockerConfigFormat.DOCKERCFG;
        }
        return DockerConfigFormat.DETECT;
    }
}
