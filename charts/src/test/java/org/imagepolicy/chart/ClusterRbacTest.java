package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cluster.enabled: serve --cluster, and the RBAC for what its informers read: cluster-wide list/watch of
 * Secrets, ServiceAccounts and Namespaces; or, with cluster.namespaces, a Role in each listed namespace,
 * the Namespace objects by name and the global pull secret by name.
 */
class ClusterRbacTest {
    static final String NAME = RenderedChart.FULLNAME + "-cluster";

    @Test
    void withoutClusterThereIsNoRbacAndNoFlag() {
        RenderedChart r = RenderedChart.variant("defaults");
        assertThat(r.all(ClusterRole.class)).noneMatch(role -> role.getMetadata().getName().equals(NAME)
                || role.getMetadata().getName().equals(RenderedChart.FULLNAME + "-namespaces"));
        assertThat(r.all(Role.class)).noneMatch(role -> role.getMetadata().getName().startsWith(NAME));
        assertThat(Workload.serveFlags(r)).doesNotContainKeys("--cluster", "--global-pull-secret", "--cluster-namespace");
    }

    @Test
    void clusterWideReadsPullSecretsServiceAccountsAndNamespacesAndNothingElse() {
        RenderedChart r = RenderedChart.variant("cluster");
        assertThat(Workload.serveFlags(r)).containsEntry("--cluster", "").containsEntry("--global-pull-secret", "openshift-config/pull-secret")
                .doesNotContainKey("--cluster-namespace");
        ClusterRole role = r.one(ClusterRole.class, NAME);
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactlyInAnyOrder("secrets", "serviceaccounts", "namespaces");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("list", "watch");
            assertThat(rule.getResourceNames()).isNullOrEmpty();
        });
        ClusterRoleBinding binding = r.one(ClusterRoleBinding.class, NAME);
        assertThat(binding.getRoleRef().getName()).isEqualTo(NAME);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(RenderedChart.FULLNAME);
            assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        });
        assertThat(r.all(Role.class)).noneMatch(role2 -> role2.getMetadata().getName().startsWith(NAME));
    }

    @Test
    void listedNamespacesGetARoleEachAndTheRestByName() {
        RenderedChart r = RenderedChart.variant("cluster-namespaces");
        assertThat(Workload.webhook(r).getArgs()).contains("--cluster", "--cluster-namespace=team-a", "--cluster-namespace=team-b",
                "--global-pull-secret=openshift-config/pull-secret");
        assertThat(r.find(ClusterRole.class, NAME)).as("no cluster-wide read of Secrets").isEmpty();
        List<Role> roles = r.all(Role.class).stream().filter(role -> role.getMetadata().getName().equals(NAME)).toList();
        assertThat(roles).extracting(role -> role.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        for (Role role : roles) {
            assertThat(role.getRules()).singleElement().satisfies(rule -> {
                assertThat(rule.getResources()).containsExactlyInAnyOrder("secrets", "serviceaccounts");
                assertThat(rule.getVerbs()).containsExactlyInAnyOrder("list", "watch");
            });
        }
        assertThat(r.all(RoleBinding.class).stream().filter(b -> b.getMetadata().getName().equals(NAME)))
                .extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");

        PolicyRule namespaces = r.one(ClusterRole.class, RenderedChart.FULLNAME + "-namespaces").getRules().get(0);
        assertThat(namespaces.getResources()).containsExactly("namespaces");
        assertThat(namespaces.getResourceNames()).containsExactly("team-a", "team-b");
        assertThat(r.one(ClusterRoleBinding.class, RenderedChart.FULLNAME + "-namespaces").getRoleRef().getName())
                .isEqualTo(RenderedChart.FULLNAME + "-namespaces");

        Role global = r.one(Role.class, RenderedChart.FULLNAME + "-global-pull-secret");
        assertThat(global.getMetadata().getNamespace()).isEqualTo("openshift-config");
        assertThat(global.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("secrets");
            assertThat(rule.getResourceNames()).containsExactly("pull-secret");
        });
        assertThat(r.one(RoleBinding.class, RenderedChart.FULLNAME + "-global-pull-secret").getMetadata().getNamespace())
                .isEqualTo("openshift-config");
    }
}
