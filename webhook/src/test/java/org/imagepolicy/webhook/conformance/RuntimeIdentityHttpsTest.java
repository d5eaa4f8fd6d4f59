package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rows of {@code conformance/runtime-identity.psv} sent to {@code /validate} over real HTTPS (one
 * server per policy), so the attempts are refused where the cluster sends them, not only in the engine.
 */
class RuntimeIdentityHttpsTest {
    @TempDir
    static Path dir;
    private static final Map<String, RunningServer> SERVERS = new HashMap<>();

    static List<RuntimeIdentityCases.Case> cases() {
        return RuntimeIdentityCases.all();
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(RunningServer::close);
    }

    private static RunningServer server(RuntimeIdentityCases.Case c) throws Exception {
        RunningServer s = SERVERS.get(c.policy());
        if (s == null) {
            s = RunningServer.start(Files.createDirectories(dir.resolve(c.policy())), c.policyText());
            SERVERS.put(c.policy(), s);
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validateOverHttpsJudgesWhatTheRuntimeDials(RuntimeIdentityCases.Case c) throws Exception {
        RunningServer s = server(c);
        HttpResponse<String> r = s.validate(s.client(HttpClient.Version.HTTP_2), Conformance.JSON.writeValueAsBytes(c.review()));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode response = Conformance.JSON.readTree(r.body()).path("response");
        assertThat(response.path("uid").asText()).isEqualTo(c.review().path("request").path("uid").asText());
        assertThat(response.path("allowed").asBoolean()).as("%s\n%s", c, r.body()).isEqualTo(c.allowed());
        if (!c.allowed()) {
            assertThat(response.path("status").path("code").asInt()).isIn(400, 403);
            assertThat(response.path("status").path("message").asText()).contains(c.fragment());
        }
    }
}
