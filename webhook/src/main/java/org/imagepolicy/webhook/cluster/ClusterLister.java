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
     * @param expired continue tokens the API server no longer held (410 Gone), each answered by going on or restarting
     */
    public record Summary(Map<Kind, Long> objects, List<Kind> notServed, long pages, long expired) {
    }

    private final KubernetesClient client;
    private final int pageSize;

    /** @param pageSize objects per list request, 1 to {@link #MAX_PAGE} */
    public ClusterLister(KubernetesClient client, int pageSize) {
        checkPageSize(pageSize);
        this.client = client;
        this.pageSize = pageSize;
    }

    /** @throws IllegalArgumentException unless 1 to {@link #MAX_PAGE} */
    public static void checkPageSize(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE + ", was " + pageSize);
        }
    }

    /**
     * Lists the kinds in the namespaces (all of them when {@code namespaces} is empty), calling
     * {@code each} for every object in turn and {@code progress} after every page.
     *
     * <p>A continue token the API server no longer holds (410 Gone, its snapshot compacted away during a
     * long listing) does not restart the count: with the fresh token the 410 carries, the listing goes on
     * from the next key in a newer snapshot, as the API documents; without one, the kind is listed again
     * from the start and every object up to the last one handed on (the API server lists in key order,
     * {@code namespace/name}) is skipped. Either way no object is handed on twice; objects created or
     * deleted meanwhile may or may not be seen, as with any listing that is not one snapshot.
     *
     * @throws KubernetesClientException when the API server refuses or fails, other than for a kind it does not serve
     */
    public Summary list(List<Kind> kinds, List<String> namespaces, Consumer<Listed> each, Consumer<String> progress) {
        return list(kinds, namespaces, each, (done, all, objects, listing) -> progress.accept(done + "/" + all + " kinds, " + objects
                + " objects" + (listing == null ? "" : " (" + listing + ")")));
    }

    /** How far a listing is, after every page and once at the end. */
    @FunctionalInterface
    public interface Progress {
        /** @param listing the kind being listed, {@code null} at the end */
        void after(int kindsDone, int kinds, long objects, Kind listing);
    }

    /** The same, with progress as numbers. */
    public Summary list(List<Kind> kinds, List<String> namespaces, Consumer<Listed> each, Progress progress) {
        Map<Kind, Long> counts = new LinkedHashMap<>();
        List<Kind> notServed = new ArrayList<>();
        pages = 0;
        total = 0;
        expired = 0;
        int kindsDone = 0;
        for (Kind kind : kinds) {
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(kind.version())
                    .withPlural(kind.plural()).withKind(kind.kind()).withNamespaced(true).build();
            long count = 0;
            try {
                for (String namespace : namespaces.isEmpty() ? java.util.Collections.<String>singletonList(null) : namespaces) {
                    count += listOne(kind, context, namespace, each, kindsDone, kinds.size(), progress);
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
        progress.after(kindsDone, kinds.size(), total, null);
        return new Summary(counts, notServed, pages, expired);
    }

    /** One listing's counts: not thread-safe, one listing at a time. */
    private long pages;
    private long total;
    private long expired;

    private long listOne(Kind kind, ResourceDefinitionContext context, String namespace, Consumer<Listed> each, int kindsDone,
            int kinds, Progress progress) {
        long count = 0;
        String token = null;
        String last = null; // key of the last object handed on, to skip up to after a restart
        boolean skipping = false;
        while (true) {
            ListOptions options = new ListOptionsBuilder().withLimit((long) pageSize).withContinue(token).build();
            GenericKubernetesResourceList list;
            try {
                list = namespace == null
                        ? client.genericKubernetesResources(context).inAnyNamespace().list(options)
                        : client.genericKubernetesResources(context).inNamespace(namespace).list(options);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 410 || token == null) {
                    throw e;
                }
                pages++;
                expired++;
                String fresh = e.getStatus() == null || e.getStatus().getMetadata() == null ? null : e.getStatus().getMetadata().getContinue();
                if (fresh != null && !fresh.isEmpty()) {
                    token = fresh; // the next key, in the newest snapshot
                } else {
                    token = null; // from the start; skip what was handed on already
                    skipping = last != null;
                }
                continue;
            }
            pages++;
            for (GenericKubernetesResource r : list.getItems()) {
                String key = (r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace()) + "/" + r.getMetadata().getName();
                if (skipping) {
                    if (key.compareTo(last) <= 0) {
                        continue;
                    }
                    skipping = false;
                }
                r.setApiVersion(kind.apiVersion()); // items of a list may leave these out
                r.setKind(kind.kind());
                JsonNode tree = client.getKubernetesSerialization().convertValue(r, JsonNode.class);
                each.accept(new Listed(kind, r.getMetadata().getNamespace(), r.getMetadata().getName(), tree));
                last = key;
                count++;
                total++;
            }
            token = list.getMetadata() == null ? null : list.getMetadata().getContinue();
            progress.after(kindsDone, kinds, total, kind);
            if (token == null || token.isEmpty()) {
                return count;
            }
        }
    }
}
