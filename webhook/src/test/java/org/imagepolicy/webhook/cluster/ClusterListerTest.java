package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.openshift.api.model.BuildBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paged lister that {@code audit --cluster} and {@code diff --cluster} stand on, over a mock cluster
 * of a few thousand objects in a dozen namespaces: every object once, in pages no larger than asked.
 */
class ClusterListerTest {
    static final int NAMESPACES = 12;
    static final int PODS_PER_NAMESPACE = 200;
    static final int DEPLOYMENTS_PER_NAMESPACE = 25;
    static final int BUILDS_PER_NAMESPACE = 5;

    static PagingDispatcher dispatcher;
    static KubernetesMockServer mock;
    static KubernetesClient client;

    @BeforeAll
    static void fill() {
        dispatcher = new PagingDispatcher();
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        mock.init();
        client = mock.createClient();
        MockApi api = new MockApi(client);
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "team-" + n;
            for (int i = 0; i < PODS_PER_NAMESPACE; i++) {
                io.fabric8.kubernetes.api.model.Pod pod = ClusterFixture.pod(ns, "quay.io/org/app:" + i);
                pod.getMetadata().setName("web-" + i);
                api.create(pod);
            }
            for (int i = 0; i < DEPLOYMENTS_PER_NAMESPACE; i++) {
                api.create(new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName("web-" + i).endMetadata()
                        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage("quay.io/org/web:" + i)
                        .endContainer().endSpec().endTemplate().endSpec().build());
            }
            for (int i = 0; i < BUILDS_PER_NAMESPACE; i++) {
                api.create(new BuildBuilder().withNewMetadata().withNamespace(ns).withName("app-" + i).endMetadata()
                        .withNewSpec().withNewStrategy().withType("Docker").withNewDockerStrategy().withNewFrom().withKind("DockerImage")
                        .withName("registry.example.com/base:" + i).endFrom().endDockerStrategy().endStrategy().endSpec().build());
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
    }

    @Test
    void everyObjectOfEveryCoveredKindOnceInBoundedPages() {
        dispatcher.lists.clear();
        Map<String, Set<String>> seen = new HashMap<>();
        List<String> progress = new ArrayList<>();
        ClusterLister.Summary summary = new ClusterLister(client, 100).list(ClusterLister.COVERED, List.of(), listed -> {
            boolean fresh = seen.computeIfAbsent(listed.kind().plural(), k -> new HashSet<>()).add(listed.namespace() + "/" + listed.name());
            assertThat(fresh).as("listed twice: " + listed.kind() + " " + listed.namespace() + "/" + listed.name()).isTrue();
            assertThat(listed.object().path("metadata").path("name").asText()).isEqualTo(listed.name());
        }, progress::add);

        assertThat(seen.get("pods")).hasSize(NAMESPACES * PODS_PER_NAMESPACE);
        assertThat(seen.get("deployments")).hasSize(NAMESPACES * DEPLOYMENTS_PER_NAMESPACE);
        assertThat(seen.get("builds")).hasSize(NAMESPACES * BUILDS_PER_NAMESPACE);
        assertThat(summary.objects().get(ClusterLister.COVERED.get(0))).isEqualTo(NAMESPACES * PODS_PER_NAMESPACE);
        assertThat(summary.notServed()).isEmpty();

        assertThat(dispatcher.lists).as("every list asks for a page").allSatisfy(r -> {
            assertThat(r.limit()).isEqualTo(100L);
            assertThat(r.items()).isLessThanOrEqualTo(100);
        });
        assertThat(dispatcher.lists.stream().filter(r -> r.path().equals("/api/v1/pods")).count())
                .as("2,400 pods in pages of 100").isEqualTo(24);
        assertThat(dispatcher.lists.stream().filter(r -> r.continueToken() != null).count()).as("continued lists").isGreaterThan(0);
        assertThat(summary.pages()).isEqualTo(dispatcher.lists.size());
        assertThat(progress.get(progress.size() - 1)).isEqualTo("11/11 kinds, " + (NAMESPACES * (PODS_PER_NAMESPACE
                + DEPLOYMENTS_PER_NAMESPACE + BUILDS_PER_NAMESPACE)) + " objects");
    }

    @Test
    void onlyTheNamespacesAsked() {
        dispatcher.lists.clear();
        List<ClusterLister.Listed> listed = new ArrayList<>();
        new ClusterLister(client, 500).list(List.of(ClusterLister.COVERED.get(0)), List.of("team-3", "team-7"), listed::add, p -> { });
        assertThat(listed).hasSize(2 * PODS_PER_NAMESPACE).allSatisfy(l -> assertThat(l.namespace()).isIn("team-3", "team-7"));
        assertThat(dispatcher.lists).extracting(PagingDispatcher.ListRequest::path)
                .containsExactly("/api/v1/namespaces/team-3/pods", "/api/v1/namespaces/team-7/pods");
    }

    @Test
    void anExpiredContinueTokenWithAFreshOneGoesOnWithoutListingAnythingTwice() {
        expiredTokenListsEveryPodOnce(true);
    }

    @Test
    void anExpiredContinueTokenWithoutAFreshOneRestartsAndSkipsWhatWasListed() {
        expiredTokenListsEveryPodOnce(false);
    }

    private void expiredTokenListsEveryPodOnce(boolean withToken) {
        dispatcher.lists.clear();
        dispatcher.expired.clear();
        dispatcher.expireWithToken = withToken;
        dispatcher.expireNext = "/api/v1/pods";
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        ClusterLister.Summary summary = new ClusterLister(client, 100).list(List.of(ClusterLister.COVERED.get(0)), List.of(), listed -> {
            if (!seen.add(listed.namespace() + "/" + listed.name())) {
                twice.add(listed.namespace() + "/" + listed.name());
            }
        }, p -> { });
        assertThat(dispatcher.expired).as("the mock expired a token").containsExactly("/api/v1/pods");
        assertThat(twice).as("objects handed on twice").isEmpty();
        assertThat(seen).hasSize(NAMESPACES * PODS_PER_NAMESPACE);
        assertThat(summary.objects().get(ClusterLister.COVERED.get(0))).isEqualTo(NAMESPACES * PODS_PER_NAMESPACE);
        assertThat(summary.expired()).isEqualTo(1);
        long firstPages = dispatcher.lists.stream().filter(r -> r.continueToken() == null).count();
        assertThat(firstPages).as(withToken ? "went on with the fresh token" : "listed again from the start").isEqualTo(withToken ? 1 : 2);
        assertThat(summary.pages()).as("list requests, the refused one included").isEqualTo(dispatcher.lists.size() + 1);
    }

    @Test
    void pagesAreBounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterLister(client, 5000))
                .hasMessage("page size must be 1 to 500, was 5000");
    }
}
