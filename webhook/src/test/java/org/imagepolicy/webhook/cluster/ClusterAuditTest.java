package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.imagepolicy.webhook.cli.Main;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.testing.MockKubeconfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit --cluster} and {@code diff --cluster} through the command line, over fabric8's CRUD mock
 * API server (with the paging a real one has, see {@link PagingDispatcher}) holding 2,700 objects in six
 * namespaces, and a real registry asking for a password: each object is judged with the credentials the
 * webhook would use for it, and its namespace's ignore-rules.
 */
class ClusterAuditTest {
    static final int PODS = 400;
    static final int DEPLOYMENTS = 50;
    static final List<String> NAMESPACES = List.of("team-a", "team-b", "team-c", "team-d", "team-e", "team-f");
    static final String POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            executionRules:
            - name: approved
              onResources: [{resource: pods}]
              matchDockerImageLabels: [{key: approved, value: "true"}]
            - name: quarantine
              reject: true
              onResources: [{resource: deployments, group: apps}]
              matchRegistries: [quarantine.example.com]
            """;

    @TempDir
    static Path dir;
    static PagingDispatcher dispatcher;
    static KubernetesMockServer mock;
    static KubernetesClient client;
    static LocalRegistry registry;
    static Path kubeconfig;
    static Path policy;
    static Path certs;

    @BeforeAll
    static void fill() throws Exception {
        registry = LocalRegistry.start(LocalRegistry.Variant.BASIC, dir);
        ImagePusher.to(registry).ociImage("private/app").tag("1").label("approved", "true").push();
        String image = registry.host() + "/private/app:1";
        certs = ClusterFixture.certsD(dir, List.of(registry));
        policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);

        dispatcher = new PagingDispatcher();
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        mock.init();
        client = mock.createClient();
        kubeconfig = MockKubeconfig.write(dir, client.getMasterUrl(), "auditor");
        MockApi api = new MockApi(client);
        for (String ns : NAMESPACES) {
            ClusterFixture.namespace(api, ns, ns.equals("team-d") ? " quarantine " : null);
        }
        // team-a: the registry's password linked to the default service account; team-c: two secrets on each pod, the first refused
        api.create(ClusterFixture.pullSecret("team-a", "regcred", registry.host(), registry.username(), registry.password()));
        ClusterFixture.serviceAccount(api, "team-a", "default", "regcred");
        api.create(ClusterFixture.pullSecret("team-c", "stale", registry.host(), registry.username(), "wrong-password-c1"));
        api.create(ClusterFixture.pullSecret("team-c", "fresh", registry.host(), registry.username(), registry.password()));
        for (String ns : NAMESPACES) {
            if (!ns.equals("team-a")) {
                ClusterFixture.serviceAccount(api, ns, "default");
            }
            for (int i = 0; i < PODS; i++) {
                io.fabric8.kubernetes.api.model.Pod pod = ns.equals("team-c") ? ClusterFixture.pod(ns, image, "stale", "fresh")
                        : ClusterFixture.pod(ns, image);
                pod.getMetadata().setName("web-" + i);
                api.create(pod);
            }
            for (int i = 0; i < DEPLOYMENTS; i++) {
                api.create(new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName("web-" + i).endMetadata()
                        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app")
                        .withImage("quarantine.example.com/app:" + i).endContainer().endSpec().endTemplate().endSpec().build());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (mock != null) {
            mock.destroy();
        }
        if (registry != null) {
            registry.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    static List<String> common(String command) {
        return new ArrayList<>(List.of(command, "--cluster", "--kubeconfig", kubeconfig.toString(), "--registry-certs", certs.toString(),
                "--lookup-timeout", "60s", "--page-size", "100"));
    }

    /** Outcomes of every reference, by namespace and kind: {@code team-a Pod pass -> 400}. */
    static Map<String, Integer> outcomes(JsonNode report) {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode r : report.path("results")) {
            for (JsonNode ref : r.path("references")) {
                out.merge(r.path("namespace").asText() + " " + r.path("kind").asText() + " " + ref.path("outcome").asText(), 1, Integer::sum);
            }
        }
        return out;
    }

    @Test
    void everyObjectIsJudgedWithItsOwnCredentialsInBoundedPagesAndEveryFormatIsWritten() throws Exception {
        dispatcher.lists.clear();
        registry.clearLog();
        Path json = dir.resolve("report.json");
        List<String> args = common("audit");
        args.addAll(List.of("--policy", policy.toString(), "-o", "json=" + json, "-o", "junit=" + dir.resolve("report.xml"),
                "-o", "sarif=" + dir.resolve("report.sarif"), "-o", "html=" + dir.resolve("report.html"),
                "-o", "policyreport=" + dir.resolve("policyreport.yaml"), "-o", "table"));
        Run run = cli(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);

        JsonNode report = ClusterFixture.JSON.readTree(json.toFile());
        assertThat(report.path("summary").path("objectsJudged").asInt()).isEqualTo(NAMESPACES.size() * (PODS + DEPLOYMENTS));
        Map<String, Integer> expected = new TreeMap<>();
        for (String ns : NAMESPACES) {
            boolean readable = ns.equals("team-a") || ns.equals("team-c");
            expected.put(ns + " Pod " + (readable ? "pass" : "fail"), PODS);
            expected.put(ns + " Deployment " + (ns.equals("team-d") ? "pass" : "fail"), DEPLOYMENTS);
        }
        assertThat(outcomes(report)).as("team-a by its service account's secret, team-c by the second of its pod's secrets,"
                + " team-d exempt from quarantine; nobody else reads the private image").isEqualTo(expected);
        String denied = report.path("results").findValues("message").stream().map(JsonNode::asText)
                .filter(m -> m.contains("asks for a user name and password")).findFirst().orElse("");
        assertThat(denied).as("a denial in a namespace without credentials").isNotEmpty();
        assertThat(Files.readString(json)).doesNotContain("wrong-password-c1").doesNotContain(registry.password())
                .contains("/api/v1/namespaces/team-b/pods/web-7");

        assertThat(Files.readString(dir.resolve("report.xml"))).contains("<testsuite").contains("web-7");
        assertThat(ClusterFixture.JSON.readTree(dir.resolve("report.sarif").toFile()).path("runs").get(0).path("results").size()).isPositive();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("team-b");
        assertThat(Files.readString(dir.resolve("policyreport.yaml"))).contains("PolicyReport").contains("team-c");
        assertThat(run.out()).contains("web-7");

        List<PagingDispatcher.ListRequest> pods = dispatcher.lists.stream().filter(r -> r.path().equals("/api/v1/pods")).toList();
        assertThat(pods).as("2,400 pods in pages of 100").hasSize(NAMESPACES.size() * PODS / 100)
                .allSatisfy(r -> assertThat(r.limit()).isEqualTo(100L)).allSatisfy(r -> assertThat(r.items()).isLessThanOrEqualTo(100));
        assertThat(dispatcher.lists.stream().filter(r -> r.path().equals("/apis/apps/v1/deployments")).count()).isEqualTo(3);
        assertThat(registry.count("HEAD", "/v2/private/app/manifests/1") + registry.count("GET", "/v2/private/app/manifests/1"))
                .as("lookups of the one image: per set of credentials, not per object").isBetween(1L, 20L);
    }

    @Test
    void namespacesLimitTheListingAndTheInformers() throws Exception {
        dispatcher.lists.clear();
        Path json = dir.resolve("team-b.json");
        List<String> args = common("audit");
        args.addAll(List.of("--policy", policy.toString(), "--namespace", "team-a", "--namespace", "team-d", "-o", "json=" + json));
        Run run = cli(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        Map<String, Integer> expected = new TreeMap<>(Map.of("team-a Pod pass", PODS, "team-a Deployment fail", DEPLOYMENTS,
                "team-d Pod fail", PODS, "team-d Deployment pass", DEPLOYMENTS));
        assertThat(outcomes(ClusterFixture.JSON.readTree(json.toFile()))).isEqualTo(expected);
        assertThat(dispatcher.lists).as("nothing listed outside the two namespaces")
                .allSatisfy(r -> assertThat(r.path()).matches("/apis?/.*/namespaces/team-[ad]/.*|/api/v1/namespaces"));
    }

    @Test
    void diffTellsWhichVerdictsAnEditMovesOnTheLiveCluster() throws Exception {
        Path edited = Files.writeString(dir.resolve("edited.yaml"), POLICY.substring(0, POLICY.indexOf("- name: quarantine")));
        Path json = dir.resolve("diff.json");
        List<String> args = common("diff");
        args.addAll(List.of("--policy", policy.toString(), "--against", edited.toString(), "-o", "json=" + json));
        Run run = cli(args.toArray(String[]::new));
        assertThat(run.exit()).as("nothing newly denied: " + run.err()).isZero();
        JsonNode summary = ClusterFixture.JSON.readTree(json.toFile()).path("summary");
        assertThat(summary.toString()).contains("\"objectsJudged\":" + NAMESPACES.size() * (PODS + DEPLOYMENTS));
        assertThat(Files.readString(json)).contains("newly");
    }

    @Test
    void anUnreachableClusterOrStrayOptionsAreSaidPlainly() throws Exception {
        Run stray = cli("audit", "--policy", policy.toString(), "--namespace", "team-a");
        assertThat(stray.exit()).isEqualTo(2);
        assertThat(stray.err()).contains("need --cluster");
        Run both = cli("audit", "--policy", policy.toString(), "--cluster", "some.yaml");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("leave out the inputs");
        Run page = cli("audit", "--policy", policy.toString(), "--cluster", "--page-size", "5000");
        assertThat(page.exit()).isEqualTo(2);
        assertThat(page.err()).contains("page size must be 1 to 500");
    }
}
