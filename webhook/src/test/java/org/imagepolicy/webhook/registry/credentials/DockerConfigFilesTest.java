package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigFilesTest {
    @TempDir
    Path dir;

    @Test
    void loadsSeveralFilesInOrderAndLogsTheirWarningsWithoutSecrets() throws Exception {
        String secret = "pw-" + java.util.UUID.randomUUID();
        Path first = write("first.json", "{\"auths\":{\"quay.io\":" + Configs.auth("one", secret) + "},\"credsStore\":\"desktop\"}");
        Path second = write("second.dockercfg", "{\"quay.io/org\":" + Configs.auth("two", secret) + "}");
        List<LogRecord> logged = new ArrayList<>();
        Logger logger = Logger.getLogger(DockerConfigFiles.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            CredentialSource source = DockerConfigFiles.load(List.of(first, second));

            assertThat(source.credentialsFor("quay.io", "org/app")).extracting(Credential::username, Credential::source)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("one", first.toString()),
                            org.assertj.core.groups.Tuple.tuple("two", second.toString()));
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(logged).extracting(LogRecord::getMessage).containsExactly(first + ": \"credsStore\" is ignored:"
                + " credential helpers are not run, so credentials kept only in the store are not available");
        assertThat(logged).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain(secret));
    }

    @Test
    void readsAMountedPullSecretDirectoryPreferringDockerconfigjson() throws Exception {
        Path mounted = Files.createDirectory(dir.resolve("pull"));
        Files.writeString(mounted.resolve(".dockerconfigjson"), Configs.auths("quay.io", Configs.auth("new", "p")));
        Files.writeString(mounted.resolve(".dockercfg"), "{\"quay.io\":" + Configs.auth("old", "p") + "}");

        DockerConfigCredentials c = DockerConfigFiles.read(mounted);

        assertThat(c.source()).isEqualTo(mounted.resolve(".dockerconfigjson").toString());
        assertThat(c.credentialsFor("quay.io", "o/r")).extracting(Credential::username).containsExactly("new");
    }

    @Test
    void aDockercfgDataKeyIsReadInThatLayout() throws Exception {
        Path mounted = Files.createDirectory(dir.resolve("legacy"));
        Files.writeString(mounted.resolve(".dockercfg"), "{\"quay.io\":" + Configs.auth("old", "p") + "}");

        assertThat(DockerConfigFiles.read(mounted).credentialsFor("quay.io", "o/r")).extracting(Credential::username)
                .containsExactly("old");
    }

    @Test
    void aFileNamedDockerconfigjsonIsNotMistakenForTheOldLayout() throws Exception {
        Path file = write(".dockerconfigjson", "{\"quay.io\":" + Configs.auth("u", "p") + "}");

        assertThatThrownBy(() -> DockerConfigFiles.read(file)).isInstanceOf(CredentialsException.class)
                .hasMessage(file + ": \"quay.io\" looks like a .dockercfg entry, but in .dockerconfigjson format entries belong under \"auths\"");
    }

    @Test
    void unreadablePathsAreNamed() throws Exception {
        Path missing = dir.resolve("missing.json");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path notUtf8 = dir.resolve("latin1.json");
        Files.write(notUtf8, new byte[] {'{', (byte) 0xE9, '}'});

        assertThatThrownBy(() -> DockerConfigFiles.load(List.of(missing))).hasMessage(missing + ": cannot read: no such file");
        assertThatThrownBy(() -> DockerConfigFiles.read(empty))
                .hasMessage(empty + ": is a directory without a .dockerconfigjson or .dockercfg file");
        assertThatThrownBy(() -> DockerConfigFiles.read(notUtf8)).hasMessage(notUtf8 + ": is not UTF-8 text");
    }

    @Test
    void noFilesMeansAnonymous() throws Exception {
        assertThat(DockerConfigFiles.load(List.of()).credentialsFor("quay.io", "o/r")).isEmpty();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
