package org.imagepolicy.webhook.cluster;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;

/**
 * The README's heap figure for serve --cluster: what the informers and the parsed credentials take with
 * 10,000 pull secrets and 5,000 service accounts in 1,000 namespaces. A measurement, not a test: run it
 * with the test class path ({@code java -cp ... org.imagepolicy.webhook.cluster.ClusterHeapMeasurement}).
 * The mock API server lives in the same JVM, so the figure is the heap after the informers synced minus
 * the heap before they started, both after a full GC.
 */
public final class ClusterHeapMeasurement {
    private ClusterHeapMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int namespaces = 1_000;
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING); // a line per request otherwise
        var mock = new io.fabric8.kubernetes.client.server.mock.KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
                false);
        mock.init();
        var client = mock.createClient();
        MockApi api = new MockApi(client);
        IntStream.range(0, namespaces).forEach(n -> {
            String ns = "team-" + n;
            ClusterFixture.namespace(api, ns, n % 10 == 0 ? "rule-a, rule-b" : null);
            for (int s = 0; s < 10; s++) {
                api.create(ClusterFixture.pullSecret(ns, "pull-" + s, Map.of(
                        "registry-" + s + ".example.com", new String[] {"robot-" + n + "-" + s, "password-" + n + "-" + s + "-0123456789abcdef"},
                        "quay.io/team-" + n, new String[] {"robot$team" + n, "token-" + n + "-" + s + "-0123456789abcdef0123456789"})));
            }
            for (int a = 0; a < 5; a++) {
                ClusterFixture.serviceAccount(api, ns, "sa-" + a, "pull-" + a, "pull-" + (a + 5));
            }
        });
        long before = usedAfterGc();
        ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), CredentialSource.anonymous());
        while (!watch.synced()) {
            Thread.sleep(100);
        }
        long after = usedAfterGc();
        Map<String, double[]> held = watch.staleness();
        System.out.printf("objects held: secrets %d, service accounts %d, namespaces %d%n", (long) held.get("secrets/kubernetes.io/dockerconfigjson")[0],
                (long) held.get("serviceaccounts")[0], (long) held.get("namespaces")[0]);
        System.out.printf("heap after GC: %.1f MiB before the informers, %.1f MiB after; the webhook's share %.1f MiB%n",
                before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0);
        watch.close();
        client.close();
        mock.destroy();
        System.exit(0);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
