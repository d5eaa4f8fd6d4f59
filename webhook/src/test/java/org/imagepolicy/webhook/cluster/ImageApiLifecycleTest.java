package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.BAD_SHA;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.DENY;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.INTEGRATED;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.image;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.pod;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.resource;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.review;
import static org.imagepolicy.webhook.cluster.ImageApiConformanceTest.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imagepolicy.webhook.cli.Main;
import org.imagepolicy.webhook.cluster.openshift.ImageApiUnavailableException;
import org.imagepolicy.webhook.cluster.openshift.OpenShiftImages;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.RunningServer;
import org.imagepolicy.webhook.testing.MockKubeconfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image API's life around the admissions: the integrated registry's hostnames changing at the cluster, readiness
 * waiting for the first ImageStream list, and an API server that does not serve {@code image.openshift.io} at all.
 * Each test has its own CRUD mock API server, behind a dispatcher that can answer the image API's requests with an
 * error status, as a plain Kubernetes API server (404) or one refusing the service account (403) does.
 */
class ImageApiLifecycleTest {
    static final String POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            executionRules:
            - name: execution-denied
              reject: true
              onResources: [{resource: pods}]
              matchImageAnnotations: [{key: images.openshift.io/deny-execution, value: "true"}]
              skipOnResolutionFailure: true
            - name: no-integrated-deployments
              reject: true
              onResources: [{group: apps, resource: deployments}]
              matchIntegratedRegistry: true
            """;

    /** The CRUD mock, except that reads of {@code image.openshift.io} are answered {@link #imageApiStatus} when it is set. */
    static final class ImageApiGate extends Dispatcher {
        private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        volatile int imageApiStatus;
        final List<String> refused = new CopyOnWriteArrayList<>();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            int status = imageApiStatus;
            if (status != 0 && "GET".equals(request.getMethod()) && request.getPath().startsWith("/apis/image.openshift.io/")) {
                refused.add(request.getPath());
                // What a Kubernetes API server answers for a group it does not serve, or a verb RBAC does not grant.
                String message = status == 404 ? "the server could not find the requested resource"
                        : "imagestreams.image.openshift.io is forbidden: User \"system:serviceaccount:ipw:ipw\" cannot list resource"
                                + " \"imagestreams\" in API group \"image.openshift.io\" at the cluster scope";
                return new MockResponse().setResponseCode(status).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                        + "\"status\":\"Failure\",\"message\":\"" + message.replace("\"", "\\\"") + "\",\"reason\":\""
                        + (status == 404 ? "NotFound" : "Forbidden") + "\",\"details\":{},\"code\":" + status + "}");
            }
            return crud.dispatch(request);
        }
    }

    final List<AutoCloseable> open = new ArrayList<>();
    final List<String> logged = new CopyOnWriteArrayList<>();
    final Logger checkLog = Logger.getLogger("org.imagepolicy.webhook.cluster.openshift.ImageApiCheck");
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    ImageApiGate gate;
    KubernetesMockServer mock;
    KubernetesClient client;
    MockApi api;

    /** A mock API server behind the gate, and a client that does not retry a refused request by itself (the informers do). */
    void startMock() {
        checkLog.addHandler(capture);
        gate = new ImageApiGate();
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), gate, false);
        mock.init();
        try (KubernetesClient first = mock.createClient()) {
            client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(first.getConfiguration()).withRequestRetryBackoffLimit(0).build())
                    .build();
        }
        api = new MockApi(client);
        open.add(client);
        open.add(mock::destroy);
    }

    @AfterEach
    void stop() {
        checkLog.removeHandler(capture);
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    static RegistrySettings noRegistries() {
        return new RegistrySettings(Set.of(), null, Set.of(), "linux/amd64", Duration.ofSeconds(60), Duration.ofSeconds(15),
                Duration.ofMinutes(10), 8, CredentialSource.anonymous());
    }

    static Map<String, Object> hostnames(String internal, String... external) {
        return Map.of("status", Map.of("internalRegistryHostname", internal, "externalRegistryHostnames", List.of(external)));
    }

    static ObjectNode deployment(String image) {
        ObjectNode d = ClusterFixture.JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", "web").put("namespace", "default");
        d.putObject("spec").putObject("template").putObject("spec").putArray("containers").addObject().put("name", "app").put("image", image);
        return d;
    }

    static JsonNode validate(RunningServer server, HttpClient http, byte[] review) throws Exception {
        HttpResponse<String> r = server.validate(http, review);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ClusterFixture.JSON.readTree(r.body()).path("response");
    }

    static boolean allowed(JsonNode response) {
        return response.path("allowed").asBoolean();
    }

    static String message(JsonNode response) {
        return response.path("status").path("message").asText();
    }

    static String closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    @DisplayName("image API: new integrated registry hostnames at the cluster make a pod on the new name integrated, and the engine is rebuilt")
    void hostnameChangeAtTheClusterRebuildsTheEngine(@TempDir Path dir) throws Exception {
        startMock();
        // Nothing listens there and the address is private: a registry lookup of this name fails at once.
        String moved = closedPort();
        api.create(resource("config.openshift.io/v1", "Image", null, "cluster", Map.of(), hostnames(INTEGRATED)));
        api.create(image(BAD_SHA, INTEGRATED + "/repo/mysql@" + BAD_SHA, Map.of(DENY, "true"), Map.of()));
        api.create(stream("repo", "mysql", false, INTEGRATED + "/repo/mysql", Map.of("badtag", BAD_SHA)));
        ClusterFixture.namespace(api, "default", null);
        ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), CredentialSource.anonymous());
        open.add(watch);
        OpenShiftImages images = OpenShiftImages.start(client, watch, List.of(), Duration.ofHours(1));
        open.add(images);
        Await.until("the first sync", Duration.ofSeconds(20), () -> watch.synced() && !images.integratedRegistries().isEmpty());
        RunningServer server = RunningServer.startOnline(dir, POLICY, noRegistries(), Duration.ofSeconds(5), watch.context(), images, List.of());
        open.add(server);
        HttpClient http = server.client(HttpClient.Version.HTTP_2);
        byte[] movedPod = review(pod("default", moved + "/repo/mysql:badtag", false, Map.of()), "", "v1", "pods");
        byte[] movedDeployment = review(deployment(moved + "/team/app:1"), "apps", "v1", "deployments");
        byte[] oldDeployment = review(deployment(INTEGRATED + "/team/app:1"), "apps", "v1", "deployments");

        JsonNode before = validate(server, http, movedPod);
        assertThat(allowed(before)).as("%s is not the integrated registry yet: its registry cannot be read, the rule is skipped; %s", moved,
                before).isTrue();
        assertThat(allowed(validate(server, http, movedDeployment))).isTrue();
        JsonNode old = validate(server, http, oldDeployment);
        assertThat(allowed(old)).as("the cluster's hostname counts before the change").isFalse();
        assertThat(message(old)).contains("no-integrated-deployments");

        api.replace(resource("config.openshift.io/v1", "Image", null, "cluster", Map.of(), hostnames(moved, "registry.apps.example.com")));
        Await.until("the new hostnames from image.config.openshift.io/cluster", Duration.ofSeconds(20),
                () -> images.integratedRegistries().toString().contains(moved));
        JsonNode after = validate(server, http, movedPod);
        assertThat(allowed(after)).as(after.toString()).isFalse();
        assertThat(message(after)).contains("execution-denied", "judged on the image API: image stream tag repo/mysql:badtag");
        Await.until("the engine rebuilt with the new hostname (the deployment on it denied)", Duration.ofSeconds(20),
                () -> !allowed(validateQuietly(server, http, movedDeployment)));
        assertThat(message(validate(server, http, movedDeployment))).contains("no-integrated-deployments");
        assertThat(allowed(validate(server, http, oldDeployment))).as("the old hostname is no longer the integrated registry").isTrue();
    }

    private static JsonNode validateQuietly(RunningServer server, HttpClient http, byte[] review) {
        try {
            return validate(server, http, review);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("image API: /readyz waits for the first ImageStream list, and says ready once it is in")
    void readinessWaitsForTheImageStreams(@TempDir Path dir) throws Exception {
        startMock();
        ClusterFixture.namespace(api, "default", null);
        api.create(stream("repo", "mysql", false, INTEGRATED + "/repo/mysql", Map.of("badtag", BAD_SHA)));
        gate.imageApiStatus = 403; // RBAC not granted yet: the webhook starts, and is not ready
        ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), CredentialSource.anonymous());
        open.add(watch);
        OpenShiftImages images = OpenShiftImages.start(client, watch, List.of(INTEGRATED_PATTERN), Duration.ofHours(1));
        open.add(images);
        assertThat(logged).as("start-up says why it cannot list image streams yet, and what to grant")
                .anyMatch(m -> m.contains("cannot list image.openshift.io/v1 imagestreams") && m.contains("403 Forbidden: grant the service account"));
        RunningServer server = RunningServer.startOnline(dir, POLICY, noRegistries(), Duration.ofSeconds(5), watch.context(), images, List.of());
        open.add(server);
        server.server.metrics().cluster(watch::staleness); // as serve does
        Await.until("every informer but the image streams' listed", Duration.ofSeconds(20), () -> watch.waitingFor().equals(List.of("imagestreams")));
        assertThat(gate.refused).as("the image streams were asked for").isNotEmpty();
        HttpResponse<String> waiting = server.health("/readyz");
        assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
        assertThat(waiting.body()).contains("waiting for the cluster's first sync");

        gate.imageApiStatus = 0; // granted
        Await.until("/readyz once the image streams are listed", Duration.ofSeconds(90), () -> health(server) == 200);
        assertThat(watch.waitingFor()).isEmpty();
        assertThat(server.health("/metrics").body()).contains("image_policy_cluster_objects{kind=\"imagestreams\"} 1\n");
    }

    static final org.imagepolicy.webhook.image.HostPattern INTEGRATED_PATTERN = org.imagepolicy.webhook.image.HostPattern.parse(INTEGRATED);

    private static int health(RunningServer server) {
        try {
            return server.health("/readyz").statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("image API: an API server without image.openshift.io (plain Kubernetes) is a start-up error naming the group")
    void plainKubernetesIsAStartUpError() throws Exception {
        startMock();
        gate.imageApiStatus = 404;
        ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), CredentialSource.anonymous());
        open.add(watch);
        assertThatThrownBy(() -> OpenShiftImages.start(client, watch, List.of(), Duration.ofHours(1)))
                .isInstanceOf(ImageApiUnavailableException.class)
                .isInstanceOf(IllegalArgumentException.class) // what every command prints and exits 2 for
                .hasMessage("--image-api: the API server " + client.getMasterUrl() + " does not serve image.openshift.io/v1 (imagestreams:"
                        + " 404 Not Found): it is not an OpenShift cluster, so image streams and the cluster's Image objects cannot be read."
                        + " Remove --image-api to run without the image API (with the chart: openshift.enabled=false), or point --kubeconfig"
                        + " at an OpenShift cluster");
    }

    @Test
    @DisplayName("serve --cluster --image-api against plain Kubernetes exits 2 before listening, saying to remove --image-api")
    void serveRefusesToStartHalfBlind(@TempDir Path dir) throws Exception {
        startMock();
        gate.imageApiStatus = 404;
        Path kubeconfig = MockKubeconfig.write(dir, client.getMasterUrl(), "webhook");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "serve", "--policy", policy.toString(), "--port", "0",
                "--health-port", "0", "--cert-dir", dir.resolve("certs").toString(), "--cluster", "--kubeconfig", kubeconfig.toString(),
                "--image-api");
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("--image-api: the API server ", " does not serve image.openshift.io/v1 (imagestreams: 404 Not Found)",
                "Remove --image-api to run without the image API (with the chart: openshift.enabled=false)");
        assertThat(gate.refused).as("one question, answered 404").isNotEmpty();
    }
}
