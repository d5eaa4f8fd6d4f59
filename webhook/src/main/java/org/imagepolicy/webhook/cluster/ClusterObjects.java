package org.imagepolicy.webhook.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.imagepolicy.webhook.audit.LiveObjects;

/**
 * Every object of every covered kind in a live cluster, for {@code audit --cluster} and {@code diff
 * --cluster}: listed page by page and handed on as it arrives, each named by its API path.
 */
public final class ClusterObjects implements LiveObjects {
    private final ClusterLister lister;
    private final List<String> namespaces;
    private ClusterLister.Summary summary;

    /** @param namespaces the namespaces to list; empty for all */
    public ClusterObjects(ClusterLister lister, List<String> namespaces) {
        this.lister = lister;
        this.namespaces = List.copyOf(namespaces);
    }

    @Override
    public void list(Sink sink) throws IOException {
        try {
            summary = lister.list(ClusterLister.COVERED, namespaces, listed -> {
                try {
                    sink.object(path(listed), listed.object());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, (kindsDone, kinds, objects, listing) -> sink.progress(kindsDone, kinds, objects));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** What the listing did, once {@link #list} has returned. */
    public ClusterLister.Summary summary() {
        return summary;
    }

    /** As {@code kubectl get --raw} takes it: {@code /apis/apps/v1/namespaces/team-a/deployments/web}. */
    static String path(ClusterLister.Listed listed) {
        ClusterLister.Kind kind = listed.kind();
        String prefix = kind.group().isEmpty() ? "/api/" + kind.apiVersion() : "/apis/" + kind.apiVersion();
        return prefix + "/namespaces/" + listed.namespace() + "/" + kind.plural() + "/" + listed.name();
    }
}
