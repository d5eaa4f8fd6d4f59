package org.imagepolicy.webhook.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;

/**
 * The informers behind {@code serve --cluster}: list and watch pull secrets (both types, by field
 * selector), service accounts and namespaces, cluster-wide; never a request per admission. Their
 * handlers run on fabric8's informer threads and only parse and store. Informer stores keep names and
 * resource versions only: the webhook's copy is the parsed credentials, not the Secret objects.
 *
 * <p>Until every informer has listed once, {@link #synced()} is false and readiness waits. An API server
 * that cannot be reached is retried for ever, and each new reason is logged once; later outages leave the
 * last state serving, and {@link #staleness()} says for how long each watch has been down.
 */
public final class ClusterWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterWatch.class.getName());
    /** The initial lists page through the API server this many objects at a time. */
    static final long LIST_PAGE = 500;

    private final ClusterState state = new ClusterState();
    /** In start order; more may be added after start ({@link #inform(String, Informable, Consumer, Consumer, java.util.function.IntSupplier)}). */
    private final Map<String, SharedIndexInformer<?>> informers = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Long> lastWatching = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.IntSupplier> counts = new ConcurrentHashMap<>();
    private final Map<String, String> lastProblem = new ConcurrentHashMap<>();
    /**
     * Objects each informer's first list brought, and adds its handler has applied: an informer counts
     * as synced once its store has the list, but its handler applies the list afterwards, on its own
     * thread; readiness waits for that too (with 10,000 secrets, most of them were not yet applied).
     */
    private final Map<String, Integer> firstList = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> applied = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    private final ClusterContext context;
    /** Notes once a second whether each watch runs, so staleness counts from the moment it stopped. */
    private final java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-watch-sampler");
        t.setDaemon(true);
        return t;
    });

    private ClusterWatch(ClusterSettings settings, CredentialSource files) {
        this.context = new ClusterContext(state, files, settings.globalPullSecret(), this::synced, settings.namespaces());
    }

    /** Starts the informers and returns at once; they sync in the background. */
    public static ClusterWatch start(KubernetesClient client, ClusterSettings settings, CredentialSource files) {
        ClusterWatch watch = new ClusterWatch(settings, files);
        var ser = client.getKubernetesSerialization();
        List<String> namespaces = settings.namespaces();
        if (namespaces.isEmpty()) {
            for (String type : List.of(ClusterState.DOCKER_CONFIG_JSON, ClusterState.DOCKERCFG)) {
                watch.informSecrets("secrets/" + type, client.secrets().inAnyNamespace().withField("type", type).withLimit(LIST_PAGE), ser);
            }
            watch.informServiceAccounts("serviceaccounts", client.serviceAccounts().inAnyNamespace().withLimit(LIST_PAGE), ser);
            watch.informNamespaces("namespaces", client.namespaces().withLimit(LIST_PAGE), ser);
        } else {
            // Only what a Role in each namespace grants; each namespace object by name (a ClusterRole with resourceNames).
            for (String ns : namespaces) {
                for (String type : List.of(ClusterState.DOCKER_CONFIG_JSON, ClusterState.DOCKERCFG)) {
                    watch.informSecrets("secrets/" + type + " in " + ns,
                            client.secrets().inNamespace(ns).withField("type", type).withLimit(LIST_PAGE), ser);
                }
                watch.informServiceAccounts("serviceaccounts in " + ns, client.serviceAccounts().inNamespace(ns).withLimit(LIST_PAGE), ser);
                watch.informNamespaces("namespaces/" + ns, client.namespaces().withName(ns), ser);
            }
            SecretRef global = settings.globalPullSecret();
            if (global != null && !namespaces.contains(global.namespace())) {
                watch.informSecrets("secrets/" + global, client.secrets().inNamespace(global.namespace()).withName(global.name()), ser);
            }
        }
        watch.sampler.scheduleAtFixedRate(watch::staleness, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return watch;
    }

    private void informSecrets(String kind, Informable<Secret> what, io.fabric8.kubernetes.client.utils.KubernetesSerialization ser) {
        inform(kind, what, new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Secret.class, ser, "type"),
                state::put, s -> state.removeSecret(s.getMetadata().getNamespace(), s.getMetadata().getName()));
    }

    private void informServiceAccounts(String kind, Informable<ServiceAccount> what, io.fabric8.kubernetes.client.utils.KubernetesSerialization ser) {
        inform(kind, what, new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, ServiceAccount.class, ser),
                state::put, sa -> state.removeServiceAccount(sa.getMetadata().getNamespace(), sa.getMetadata().getName()));
    }

    private void informNamespaces(String kind, Informable<Namespace> what, io.fabric8.kubernetes.client.utils.KubernetesSerialization ser) {
        inform(kind, what, new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Namespace.class, ser),
                state::put, ns -> state.removeNamespace(ns.getMetadata().getName()));
    }

    /**
     * One more informer under the same rules (readiness waits for its first list, its outages are retried and
     * logged once, /metrics shows its staleness), for kinds other packages read, e.g. OpenShift image streams.
     *
     * @param count how many objects it holds, for /metrics
     */
    public <T extends HasMetadata> void inform(String kind, Informable<T> what, Consumer<T> put, Consumer<T> remove,
            java.util.function.IntSupplier count) {
        counts.put(kind, count);
        inform(kind, what, null, put, remove);
    }

    private <T extends HasMetadata> void inform(String kind, Informable<T> what, ReducedStateItemStore<T> store, Consumer<T> put,
            Consumer<T> remove) {
        SharedIndexInformer<T> informer = what.runnableInformer(0);
        if (store != null) {
            informer.itemStore(store);
        }
        java.util.concurrent.atomic.AtomicLong adds = applied.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicLong());
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                put.accept(obj);
                adds.incrementAndGet();
                lastWatching.put(kind, System.nanoTime());
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                put.accept(newObj);
                lastWatching.put(kind, System.nanoTime());
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                remove.accept(obj);
            }
        });
        informer.exceptionHandler((isStarted, t) -> {
            String problem = t.getClass().getSimpleName() + ": " + t.getMessage();
            if (!problem.equals(lastProblem.put(kind, problem))) {
                LOG.warning(() -> "cannot " + (isStarted ? "watch " : "list ") + kind + " from the API server; "
                        + (synced() ? "deciding from what was last seen" : "not ready until it can") + " (" + problem + ")");
            }
            return true; // keep trying: an unreachable API server must not stop the informer
        });
        informers.put(kind, informer);
        informer.start().whenComplete((v, e) -> {
            if (e == null) {
                firstList.put(kind, informer.getStore().listKeys().size());
                lastProblem.remove(kind);
                LOG.info(() -> "listed " + kind + " from the API server");
            }
        });
    }

    public ClusterContext context() {
        return context;
    }

    /** Whether every informer has listed at least once and its handler has applied that list. */
    public boolean synced() {
        for (String kind : snapshot().keySet()) {
            if (!synced(kind)) {
                return false;
            }
        }
        return true;
    }

    private boolean synced(String kind) {
        Integer listed = firstList.get(kind);
        return listed != null && applied.get(kind).get() >= listed;
    }

    /** Per kind: objects held, and seconds since its watch last ran (0 while it runs). Read by /metrics. */
    public Map<String, double[]> staleness() {
        long now = System.nanoTime();
        Map<String, double[]> out = new LinkedHashMap<>();
        snapshot().forEach((kind, informer) -> {
            double stale;
            if (informer.isWatching()) {
                lastWatching.put(kind, now);
                stale = 0;
            } else {
                stale = (now - lastWatching.getOrDefault(kind, started)) / 1e9;
            }
            out.put(kind, new double[] {count(kind), stale});
        });
        return out;
    }

    private double count(String kind) {
        java.util.function.IntSupplier other = counts.get(kind);
        if (other != null) {
            return other.getAsInt();
        }
        if (kind.startsWith("secrets/")) {
            return state.secrets(); // both secret kinds together: the webhook keeps them in one map
        }
        return kind.startsWith("serviceaccounts") ? state.serviceAccounts() : state.namespaces();
    }

    /**
     * Blocks until every informer has listed once ({@code audit --cluster}, which judges from one
     * complete view), or throws saying which have not.
     */
    public void awaitSynced(java.time.Duration timeout) throws java.util.concurrent.TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!synced()) {
            if (System.nanoTime() > deadline) {
                String why = String.join("; ", new java.util.LinkedHashSet<>(lastProblem.values()));
                throw new java.util.concurrent.TimeoutException("could not list " + String.join(", ", waitingFor()) + " from the API server within "
                        + timeout.toSeconds() + "s" + (why.isEmpty() ? "" : " (" + why + ")"));
            }
            Thread.sleep(50);
        }
    }

    /** For messages: which informers have not listed yet. */
    public List<String> waitingFor() {
        return snapshot().keySet().stream().filter(k -> !synced(k)).toList();
    }

    private Map<String, SharedIndexInformer<?>> snapshot() {
        synchronized (informers) {
            return new LinkedHashMap<>(informers);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        snapshot().values().forEach(SharedIndexInformer::stop);
    }
}
