package org.imagepolicy.webhook.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig pointing at fabric8's mock API server, for the commands that take {@code --kubeconfig}. */
public final class MockKubeconfig {
    private MockKubeconfig() {
    }

    /** Writes {@code dir/kubeconfig} for the mock at {@code server}, as user {@code user} with a token the mock does not check. */
    public static Path write(Path dir, java.net.URL server, String user) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: %s
                  user: {token: not-checked-by-the-mock}
                contexts:
                - name: mock
                  context: {cluster: mock, user: %s}
                current-context: mock
                """.formatted(server, user, user));
    }
}
