package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.cluster.ClusterFixture.namespace;
import static org.imagepolicy.webhook.cluster.ClusterFixture.pod;
import static org.imagepolicy.webhook.cluster.ClusterFixture.pullSecret;
import static org.imagepolicy.webhook.cluster.ClusterFixture.review;
import static org.imagepolicy.webhook.cluster.ClusterFixture.serviceAccount;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve --cluster end to end: fabric8's mock API server in CRUD mode holds namespaces, service accounts
 * and pull secrets; real registries on loopback (htpasswd, and delegated token auth) hold a private
 * image; the webhook answers AdmissionReviews over HTTPS with each pod's own credentials.
 */
@EnableKubernetesMockClient(https = false, crud = true)
class ClusterAdmissionTest {
    static final Duration SEEN = Duration.ofSeconds(20);
    static final String POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            executionRules:
            - name: approved
              onResources: [{resource: pods}, {resource: builds, group: build.openshift.io}]
              matchDockerImageLabels: [{key: approved, value: "true"}]
            - name: quarantine
              reject: true
              onResources: [{resource: deployments, group: apps}]
              matchRegistries: [quarantine.example.com]
            - name: blocked
              reject: true
              ignoreNamespaceOverride: true
              onResources: [{resource: deployments, group: apps}]
              matchRegistries: [blocked.example.com]
            """;

    static KubernetesMockServer mock;
    static KubernetesClient client;
    @TempDir
    static Path dir;
    static LocalRegistry basic;
    static LocalRegistry token;
    static String privateImage;
    static String tokenImage;
    static ClusterWatch watch;
    static RunningServer server;
    static HttpClient http;
    static MockApi api;

    @BeforeAll
    static void start() throws Exception {
        api = new MockApi(client);
        basic = LocalRegistry.start(LocalRegistry.Variant.BASIC, dir);
        token = LocalRegistry.start(LocalRegistry.Variant.TOKEN, dir);
        ImagePusher.to(basic).ociImage("private/app").tag("1").label("approved", "true").push();
        ImagePusher.to(token).ociImage("private/app").tag("1").label("approved", "true").push();
        privateImage = basic.host() + "/private/app:1";
        tokenImage = token.host() + "/private/app:1";

        namespace(api, "team-a", null);
        api.create(pullSecret("team-a", "regcred", basic.host(), basic.username(), basic.password()));
        serviceAccount(api, "team-a", "default", "regcred");
        namespace(api, "team-b", null);
        serviceAccount(api, "team-b", "default");
        namespace(api, "team-c", null);
        serviceAccount(api, "team-c", "default");
        namespace(api, "team-d", null);
        api.create(pullSecret("team-d", "regcred", basic.host(), basic.username(), "wrong-password-d1"));
        serviceAccount(api, "team-d", "default", "regcred");

        RegistrySettings registries = new RegistrySettings(Set.of(), ClusterFixture.certsD(dir, List.of(basic, token)), Set.of(), "linux/amd64",
                Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofMinutes(10), 8, CredentialSource.anonymous());
        watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), registries.credentials());
        Await.until("the informers' first list", SEEN, watch::synced);
        server = RunningServer.startOnline(dir, POLICY, registries, Duration.ofSeconds(5), watch.context());
        server.server.metrics().cluster(watch::staleness);
        http = server.client(HttpClient.Version.HTTP_2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (basic != null) {
            basic.close();
        }
        if (token != null) {
            token.close();
        }
    }

    static JsonNode admit(byte[] review) throws Exception {
        HttpResponse<String> r = server.validate(http, review);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ClusterFixture.JSON.readTree(r.body()).path("response");
    }

    static String message(JsonNode response) {
        return response.path("status").path("message").asText();
    }

    @Test
    void aSecretLinkedToTheServiceAccountAdmitsItsNamespaceOnly() throws Exception {
        JsonNode before = admit(review(pod("team-b", privateImage)));
        assertThat(before.path("allowed").asBoolean()).as("no credentials in team-b").isFalse();
        assertThat(message(before)).contains("asks for a user name and password, and no pull secret or --registry-auth entry matches it");

        assertThat(admit(review(pod("team-a", privateImage))).path("allowed").asBoolean()).as("team-a's linked secret").isTrue();

        JsonNode after = admit(review(pod("team-c", privateImage)));
        assertThat(after.path("allowed").asBoolean()).as("team-a's lookup must not decide for team-c").isFalse();
        assertThat(message(after)).contains("asks for a user name and password");

        JsonNode samePerson = admit(review(pod("team-d", privateImage)));
        assertThat(samePerson.path("allowed").asBoolean()).as("team-d has the same user name with a wrong password").isFalse();
        assertThat(message(samePerson)).contains("denied access to private/app").doesNotContain("wrong-password-d1");
    }

    @Test
    void thePodsOwnSecretsComeFirstAndEachMatchingCredentialIsTried() throws Exception {
        namespace(api, "team-e", null);
        serviceAccount(api, "team-e", "default");
        api.create(pullSecret("team-e", "stale", basic.host(), basic.username(), "wrong-password-e1"));
        api.create(pullSecret("team-e", "fresh", basic.host(), basic.username(), basic.password()));
        Await.until("team-e's secrets", SEEN, () -> watch.context().credentials(input("team-e", "stale", "fresh")).notes().isEmpty());

        JsonNode onlyStale = admit(review(pod("team-e", privateImage, "stale")));
        assertThat(onlyStale.path("allowed").asBoolean()).isFalse();
        assertThat(message(onlyStale)).contains("denied access to private/app").doesNotContain("wrong-password-e1");

        assertThat(admit(review(pod("team-e", privateImage, "stale", "fresh"))).path("allowed").asBoolean())
                .as("the second credential is tried when the first is refused").isTrue();

        JsonNode missing = admit(review(pod("team-e", basic.host() + "/private/app:2", "regcred")));
        assertThat(message(missing)).contains("pull secret team-e/regcred not found");
    }

    @Test
    void secretsCreatedChangedAndDeletedAfterStartTakeEffectWithoutRestart() throws Exception {
        namespace(api, "team-f", null);
        serviceAccount(api, "team-f", "default", "regcred");
        Await.until("team-f's service account", SEEN, () -> watch.context().credentials(input("team-f")).notes()
                .equals(List.of("pull secret team-f/regcred not found")));
        JsonNode none = admit(review(pod("team-f", privateImage)));
        assertThat(none.path("allowed").asBoolean()).isFalse();
        assertThat(message(none)).contains("pull secret team-f/regcred not found");

        api.create(pullSecret("team-f", "regcred", basic.host(), basic.username(), "wrong-password-f1"));
        Await.until("the created secret, at an admission", SEEN, () -> message(admitQuietly("team-f")).contains("denied access to private/app"));

        api.replace(pullSecret("team-f", "regcred", basic.host(), basic.username(), basic.password()));
        Await.until("the changed secret, at an admission", SEEN, () -> admitQuietly("team-f").path("allowed").asBoolean());

        api.delete("v1", "secrets", "team-f", "regcred");
        Await.until("the deleted secret, at an admission", SEEN, () -> message(admitQuietly("team-f")).contains("pull secret team-f/regcred not found"));
    }

    @Test
    void aDelegatedTokenRealmGetsItsOwnCredentialAndOtherwiseTheRegistrys() throws Exception {
        String realm = token.tokenServer().realm().getHost() + ":" + token.tokenServer().realm().getPort();
        // team-t: the registry's entry has a wrong password, the realm's host its own right one
        namespace(api, "team-t", null);
        serviceAccount(api, "team-t", "default", "regcred");
        api.create(pullSecret("team-t", "regcred", Map.of(
                token.host(), new String[] {token.username(), "wrong-password-t1"},
                realm, new String[] {token.username(), token.password()})));
        // team-u: only the registry's entry, wrong
        namespace(api, "team-u", null);
        serviceAccount(api, "team-u", "default", "regcred");
        api.create(pullSecret("team-u", "regcred", token.host(), token.username(), "wrong-password-u1"));
        // team-v: only the registry's entry, right: with no entry for the realm's host it goes to the token request
        namespace(api, "team-v", null);
        serviceAccount(api, "team-v", "default", "regcred");
        api.create(pullSecret("team-v", "regcred", token.host(), token.username(), token.password()));
        Await.until("team-t's, team-u's and team-v's secrets", SEEN, () -> watch.context().credentials(input("team-t")).notes().isEmpty()
                && watch.context().credentials(input("team-u")).notes().isEmpty()
                && watch.context().credentials(input("team-v")).notes().isEmpty());

        token.tokenServer().clearRequests();
        assertThat(admit(review(pod("team-t", tokenImage))).path("allowed").asBoolean()).as("the realm's own credential").isTrue();
        assertThat(token.tokenServer().requests()).as("the realm's credential, not the registry's wrong one, asked for the token")
                .isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

        token.tokenServer().clearRequests();
        JsonNode refused = admit(review(pod("team-u", tokenImage)));
        assertThat(refused.path("allowed").asBoolean()).as("only the registry's (wrong) credential, after team-t's success").isFalse();
        assertThat(message(refused)).contains("token service of " + token.host() + " refused").doesNotContain("wrong-password-u1");
        assertThat(token.tokenServer().requests()).as("team-t's token was not reused for team-u").isNotEmpty()
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(401));

        token.tokenServer().clearRequests();
        assertThat(admit(review(pod("team-v", tokenImage))).path("allowed").asBoolean()).as("the registry's own credential").isTrue();
        assertThat(token.tokenServer().requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.user()).isEqualTo(token.username());
        });
    }

    @Test
    void buildsUseTheStrategyPullSecretAndTheBuilderServiceAccount() throws Exception {
        namespace(api, "team-g", null);
        serviceAccount(api, "team-g", "builder", "builder-pull");
        api.create(pullSecret("team-g", "builder-pull", basic.host(), basic.username(), basic.password()));
        namespace(api, "team-h", null);
        serviceAccount(api, "team-h", "builder");
        api.create(pullSecret("team-h", "strategy-pull", basic.host(), basic.username(), basic.password()));
        Await.until("the builder accounts", SEEN, () -> watch.context().credentials(buildInput("team-g", null)).notes().isEmpty()
                && watch.context().credentials(buildInput("team-h", "strategy-pull")).notes().isEmpty());

        assertThat(admit(review(build("team-g", null), "build.openshift.io", "v1", "builds")).path("allowed").asBoolean())
                .as("the builder service account's secret").isTrue();
        assertThat(admit(review(build("team-h", "strategy-pull"), "build.openshift.io", "v1", "builds")).path("allowed").asBoolean())
                .as("the strategy's pullSecret").isTrue();
        assertThat(admit(review(build("team-h", null), "build.openshift.io", "v1", "builds")).path("allowed").asBoolean())
                .as("neither").isFalse();
    }

    @Test
    void theIgnoreRulesAnnotationIsTrimmedAndIgnoreNamespaceOverrideHolds() throws Exception {
        namespace(api, "relaxed", "other , quarantine ,blocked");
        Await.until("the relaxed namespace", SEEN, () -> !watch.context().excludedRules(input("relaxed")).isEmpty());

        assertThat(watch.context().excludedRules(input("relaxed"))).containsExactlyInAnyOrder("other", "quarantine", "blocked");
        assertThat(admit(review(deployment("relaxed", "quarantine.example.com/app:1"), "apps", "v1", "deployments")).path("allowed").asBoolean())
                .as("\" quarantine \" exempts the rule named quarantine").isTrue();
        JsonNode blocked = admit(review(deployment("relaxed", "blocked.example.com/app:1"), "apps", "v1", "deployments"));
        assertThat(blocked.path("allowed").asBoolean()).as("ignoreNamespaceOverride: true").isFalse();
        assertThat(message(blocked)).contains("\"blocked\"");
        JsonNode elsewhere = admit(review(deployment("team-b", "quarantine.example.com/app:1"), "apps", "v1", "deployments"));
        assertThat(elsewhere.path("allowed").asBoolean()).as("other namespaces keep the rule").isFalse();
        assertThat(message(elsewhere)).contains("\"quarantine\"");
    }

    @Test
    void tenThousandAdmissionsAfterSyncMakeNoApiRequest() throws Exception {
        assertThat(admit(review(pod("team-a", privateImage))).path("allowed").asBoolean()).isTrue();
        byte[] allowed = review(pod("team-a", privateImage));
        byte[] denied = review(pod("team-b", privateImage));
        byte[] exempt = review(deployment("relaxed-too", "blocked.example.com/app:1"), "apps", "v1", "deployments");
        int before = mock.getRequestCount();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 2_500; i++) {
                        byte[] body = i % 3 == 0 ? allowed : i % 3 == 1 ? denied : exempt;
                        HttpResponse<String> r = server.validate(http, body);
                        assertThat(r.statusCode()).isEqualTo(200);
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(answered.get()).isEqualTo(10_000);
        assertThat(mock.getRequestCount() - before).as("requests the API server received during 10,000 admissions").isZero();
    }

    @Test
    void metricsShowWhatTheInformersHoldAndThatTheyWatch() throws Exception {
        String metrics = server.health("/metrics").body();
        assertThat(metrics).containsPattern("image_policy_cluster_objects\\{kind=\"serviceaccounts\"\\} [1-9]")
                .contains("image_policy_cluster_watch_stale_seconds{kind=\"namespaces\"} 0.0");
        assertThat(server.health("/readyz").statusCode()).isEqualTo(200);
    }

    private JsonNode admitQuietly(String namespace) {
        try {
            return admit(review(pod(namespace, privateImage)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static org.imagepolicy.webhook.admission.AdmissionInput input(String namespace, String... podSecrets) {
        try {
            return org.imagepolicy.webhook.admission.AdmissionReviewCodec.decode(review(pod(namespace, privateImage, podSecrets)));
        } catch (org.imagepolicy.webhook.admission.BadReviewException e) {
            throw new AssertionError(e);
        }
    }

    static org.imagepolicy.webhook.admission.AdmissionInput buildInput(String namespace, String pullSecret) {
        try {
            return org.imagepolicy.webhook.admission.AdmissionReviewCodec.decode(review(build(namespace, pullSecret), "build.openshift.io", "v1", "builds"));
        } catch (org.imagepolicy.webhook.admission.BadReviewException e) {
            throw new AssertionError(e);
        }
    }

    static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String namespace, String image) {
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName("web").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static Build build(String namespace, String pullSecret) {
        BuildBuilder b = new BuildBuilder().withNewMetadata().withNamespace(namespace).withName("app-1").endMetadata()
                .withNewSpec().withNewStrategy().withType("Source").withNewSourceStrategy()
                .withNewFrom().withKind("DockerImage").withName(privateImage).endFrom().endSourceStrategy().endStrategy().endSpec();
        if (pullSecret != null) {
            b.editSpec().editStrategy().editSourceStrategy().withNewPullSecret(pullSecret).endSourceStrategy().endStrategy().endSpec();
        }
        return b.build();
    }
}
