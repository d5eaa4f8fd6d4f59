package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The import policy from each configuration source, loaded by the server as its policy file and asked
 * over real HTTPS at {@code /validate}, with ImageStream and ImageStreamImport reviews as the API server
 * sends them.
 */
class ImportPolicyHttpsTest {
    @TempDir
    static Path dir;
    private static final Map<String, RunningServer> SERVERS = new HashMap<>();

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(RunningServer::close);
    }

    private static RunningServer server(ImportPolicyCases.Source s) throws Exception {
        RunningServer server = SERVERS.get(s.file());
        if (server == null) {
            server = RunningServer.start(Files.createDirectories(dir.resolve(s.file())), s.text());
            SERVERS.put(s.file(), server);
        }
        return server;
    }

    private static ObjectNode review(String resource, ObjectNode object) {
        ObjectNode review = Conformance.JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "2f3c4a5b-" + resource);
        request.putObject("kind").put("group", "image.openshift.io").put("version", "v1").put("kind", object.path("kind").asText());
        request.putObject("resource").put("group", "image.openshift.io").put("version", "v1").put("resource", resource);
        request.put("namespace", "default");
        request.put("name", "app");
        request.put("operation", "CREATE");
        request.putObject("userInfo").put("username", "developer");
        request.set("object", object);
        request.putNull("oldObject");
        request.put("dryRun", false);
        return review;
    }

    private static JsonNode send(RunningServer s, ObjectNode review) throws Exception {
        HttpResponse<String> r = s.validate(s.client(HttpClient.Version.HTTP_2), Conformance.JSON.writeValueAsBytes(review));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode response = Conformance.JSON.readTree(r.body()).path("response");
        assertThat(response.path("uid").asText()).isEqualTo(review.path("request").path("uid").asText());
        return response;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void imageStreamsAndImportsAreJudgedOverHttps(ImportPolicyCases.Source source) throws Exception {
        RunningServer s = server(source);
        assertThat(send(s, review("imagestreams", ImportPolicyCases.imageStream(source.allowed()))).path("allowed").asBoolean())
                .isTrue();

        JsonNode denied = send(s, review("imagestreams", ImportPolicyCases.imageStream(source.allowed(), source.denied())));
        assertThat(denied.path("allowed").asBoolean()).isFalse();
        assertThat(denied.path("status").path("code").asInt()).isEqualTo(403);
        assertThat(denied.path("status").path("message").asText())
                .contains("spec.tags[1].from.name: Forbidden:")
                .contains("importing \"" + source.denied() + "\"")
                .contains("images may be imported only from " + source.listed());

        JsonNode imported = send(s, review("imagestreamimports", ImportPolicyCases.imageStreamImport(false, source.denied())));
        assertThat(imported.path("allowed").asBoolean()).isFalse();
        assertThat(imported.path("status").path("message").asText()).contains("spec.images[0].from.name: Forbidden:");
        assertThat(send(s, review("imagestreamimports", ImportPolicyCases.imageStreamImport(false, source.allowed())))
                .path("allowed").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void imageStreamTagsImageTagsAndStreamStatusAreJudgedOverHttps(ImportPolicyCases.Source source) throws Exception {
        RunningServer s = server(source);
        for (String resource : java.util.List.of("imagestreamtags", "imagetags")) {
            boolean ist = resource.equals("imagestreamtags");
            ObjectNode allowed = ist ? ImportPolicyCases.imageStreamTag(source.allowed()) : ImportPolicyCases.imageTag(source.allowed());
            ObjectNode denied = ist ? ImportPolicyCases.imageStreamTag(source.denied()) : ImportPolicyCases.imageTag(source.denied());
            assertThat(send(s, review(resource, allowed)).path("allowed").asBoolean()).as(resource).isTrue();
            JsonNode answer = send(s, review(resource, denied));
            assertThat(answer.path("allowed").asBoolean()).as(resource).isFalse();
            assertThat(answer.path("status").path("code").asInt()).isEqualTo(403);
            assertThat(answer.path("status").path("message").asText())
                    .contains(resource + ".image.openshift.io \"app\" is forbidden: " + (ist ? "tag" : "spec") + ".from.name: Forbidden:")
                    .contains("images may be imported only from " + source.listed());
        }
        String imported = source.denied().replaceAll(":[^:/]+$", "") + "@" + Conformance.IMAGE1_SHA;
        ObjectNode status = review("imagestreams", ImportPolicyCases.withStatus(ImportPolicyCases.imageStream(source.denied()), imported));
        ObjectNode request = (ObjectNode) status.path("request");
        request.put("operation", "UPDATE").put("subResource", "status");
        request.set("oldObject", ImportPolicyCases.imageStream(source.denied()));
        JsonNode answer = send(s, status);
        assertThat(answer.path("allowed").asBoolean()).isFalse();
        assertThat(answer.path("status").path("message").asText()).contains("status.tags[0].items[0].dockerImageReference: Forbidden:");
    }
}
