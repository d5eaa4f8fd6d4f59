package org.imagepolicy.webhook.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lists every kind the policy can cover from a live cluster, a page at a time ({@code limit} and
 * {@code continue}), handing each object to a callback as it arrives, so memory holds one page however
 * large the cluster. For {@code audit --cluster} and {@code diff --cluster}. Blocking: run it off any
 * event loop.
 */
public final class ClusterLister {
    /** The API server's own default cap is 500; larger pages cost it more memory per request. */
    public static final int MAX_PAGE = 500;

    /** A listable kind: {@code apiVersion} as written in objects, the plural the API serves it under. */
    public record Kind(String apiVersion, String plural, String kind) {
        String group() {
            int slash = apiVersion.indexOf('/');
            return slash < 0 ? "" : apiVersion.substring(0, slash);
        }

        String version() {
            return apiVersion.substring(apiVersion.indexOf('/') + 1);
        }

        @Override
        public String toString() {
            return group().isEmpty() ? plural : plural + "." + group();
        }
    }

    /** Every kind whose objects carry images the policy judges: pods, workload controllers, OpenShift's own. */
    public static final List<Kind> COVERED = List.of(
            new Kind("v1", "pods", "Pod"),
            new Kind("v1", "replicationcontrollers", "ReplicationController"),
            new Kind("apps/v1", "deployments", "Deployment"),
            new Kind("apps/v1", "replicasets", "ReplicaSet"),
            new Kind("apps/v1", "statefulsets", "StatefulSet"),
            new Kind("apps/v1", "daemonsets", "DaemonSet"),
            new Kind("batch/v1", "jobs", "Job"),
            new Kind("batch/v1", "cronjobs", "CronJob"),
            new Kind("apps.openshift.io/v1", "deploymentconfigs", "DeploymentConfig"),
            new Kind("build.openshift.io/v1", "builds", "Build"),
            new Kind("build.openshift.io/v1", "buildconfigs", "BuildConfig"));

    /** One object as listed: its kind, where it lives, and the object as a JSON tree (the engine's input). */
    public record Listed(Kind kind, String namespace, String name, JsonNode object) {
    }

    /**
     * What a listing did.
     *
     * @param objects per kind listed, in the order listed
     * @param notServed kinds the API server does not serve (OpenShift's, on plain Kubernetes)
     * @param pages list requests made
     */
    public record Summary(Map<Kind, Long> objects, List<Kind> notServed, long pages) {
    }

    private final KubernetesClient client;
    private final int pageSize;

    /** @param pageSize objects per list request, 1 to {@link #MAX_PAGE} */
    public ClusterLister(KubernetesClient client, int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE + ", was " + pageSize);
        }
        this.client = client;
        this.pageSize = pageSize;
    }

    /**
     * Lists the kinds in the namespaces (all of them when {@code namespaces} is empty), calling
     * {@code each} for every object in turn and {@code progress} after every page.
     *
     * @throws KubernetesClientException when the API server refuses or fails, other than for a kind it does not serve
     */
    public Summary list(List<Kind> kinds, List<String> namespaces, Consumer<Listed> each, Consumer<String> progress) {
        Map<Kind, Long> counts = new LinkedHashMap<>();
        List<Kind> notServed = new ArrayList<>();
        long pages = 0;
        long total = 0;
        int kindsDone = 0;
        for (Kind kind : kinds) {
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(kind.version())
                    .withPlural(kind.plural()).withKind(kind.kind()).withNamespaced(true).build();
            long count = 0;
            try {
                for (String namespace : namespaces.isEmpty() ? java.util.Collections.<String>singletonList(null) : namespaces) {
                    String token = null;
                    do {
                        ListOptions options = new ListOptionsBuilder().withLimit((long) pageSize).withContinue(token).build();
                        GenericKubernetesResourceList page = namespace == null
                                ? client.genericKubernetesResources(context).inAnyNamespace().list(options)
                                : client.genericKubernetesResources(context).inNamespace(namespace).list(options);
                        pages++;
                        for (GenericKubernetesResource r : page.getItems()) {
                            JsonNode tree = client.getKubernetesSerialization().convertValue(r, JsonNode.class);
                            each.accept(new Listed(kind, r.getMetadata().getNamespace(), r.getMetadata().getName(), tree));
                            count++;
                        }
                        total += page.getItems().size();
                        token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                        progress.accept(kindsDone + "/" + kinds.size() + " kinds, " + total + " objects (" + kind + ")");
                    } while (token != null && !token.isEmpty());
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                notServed.add(kind);
            }
            counts.put(kind, count);
            kindsDone++;
        }
        progress.accept(kindsDone + "/" + kinds.size() + " kinds, " + total + " objects");
        return new Summary(counts, notServed, pages);
    }
}
