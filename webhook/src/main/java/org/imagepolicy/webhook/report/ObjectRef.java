package org.imagepolicy.webhook.report;

/**
 * The Kubernetes object a result is about, as PolicyReports' {@code resources[]} name it.
 *
 * @param namespace {@code null} for cluster-scoped objects and for namespaced objects whose manifest names none
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name, String uid) {
}
