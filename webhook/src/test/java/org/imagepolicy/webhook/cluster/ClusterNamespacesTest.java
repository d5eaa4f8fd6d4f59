package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;
import org.junit.jupiter.api.Test;

/**
 * serve --cluster-namespace: the informers read only the listed namespaces (what a Role in each
 * grants), each Namespace object by name, and the global pull secret by name; pods elsewhere are told
 * why only global credentials were used.
 */
class ClusterNamespacesTest {

    @Test
    void onlyTheListedNamespacesAreReadAndTheGlobalSecretByName() throws Exception {
        PagingDispatcher dispatcher = new PagingDispatcher();
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        mock.init();
        KubernetesClient client = mock.createClient();
        try {
            MockApi api = new MockApi(client);
            for (String ns : List.of("team-a", "team-b", "team-c", "openshift-config")) {
                ClusterFixture.namespace(api, ns, ns.equals("team-a") ? "quarantine" : ns.equals("team-c") ? "approved" : null);
                ClusterFixture.serviceAccount(api, ns, "default", "regcred");
                api.create(ClusterFixture.pullSecret(ns, "regcred", "registry.example.com", "user-" + ns, "secret-value-" + ns));
            }
            api.create(ClusterFixture.pullSecret("openshift-config", "pull-secret", "registry.example.com", "global", "secret-value-g"));
            ClusterSettings settings = new ClusterSettings(null, null, SecretRef.parse("openshift-config/pull-secret"), List.of("team-a", "team-b"));
            try (ClusterWatch watch = ClusterWatch.start(client, settings, CredentialSource.anonymous())) {
                watch.awaitSynced(Duration.ofSeconds(20));

                PullCredentials a = watch.context().credentials(ClusterAdmissionTest.input("team-a"));
                assertThat(a.notes()).isEmpty();
                assertThat(a.source().credentialsFor("registry.example.com", "org/app")).extracting(c -> c.source())
                        .containsExactly("secret team-a/regcred", "secret openshift-config/pull-secret");
                assertThat(watch.context().excludedRules(ClusterAdmissionTest.input("team-a"))).containsExactly("quarantine");

                PullCredentials c = watch.context().credentials(ClusterAdmissionTest.input("team-c"));
                assertThat(c.notes()).containsExactly("namespace team-c is not one the webhook reads (--cluster-namespace),"
                        + " so only global credentials were used");
                assertThat(c.source().credentialsFor("registry.example.com", "org/app")).extracting(cr -> cr.source())
                        .containsExactly("secret openshift-config/pull-secret");
                assertThat(watch.context().excludedRules(ClusterAdmissionTest.input("team-c"))).as("team-c's annotation unread").isEmpty();
                assertThat(watch.context().credentials(ClusterAdmissionTest.input("openshift-config")).source()
                        .credentialsFor("registry.example.com", "org/app")).extracting(cr -> cr.source())
                        .as("only the named secret of the global secret's namespace").containsExactly("secret openshift-config/pull-secret");
            }
            assertThat(dispatcher.lists).extracting(PagingDispatcher.ListRequest::path).as("no cluster-wide list of secrets or accounts")
                    .noneMatch(p -> p.equals("/api/v1/secrets") || p.equals("/api/v1/serviceaccounts"))
                    .contains("/api/v1/namespaces/team-a/secrets", "/api/v1/namespaces/team-b/serviceaccounts");
        } finally {
            client.close();
            mock.destroy();
        }
    }
}
