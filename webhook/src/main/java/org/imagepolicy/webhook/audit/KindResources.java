package org.imagepolicy.webhook.audit;

import java.util.Locale;
import java.util.Map;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.Resources;

/**
 * The resource a manifest's kind is created as, the way the API server would address it: {@code
 * apps/v1 Deployment} is {@code deployments.apps}, 3.x's {@code v1 DeploymentConfig} is
 * {@code deploymentconfigs.apps.openshift.io}.
 */
final class KindResources {
    private static final Map<String, String> PLURAL = Map.ofEntries(
            Map.entry("Pod", "pods"), Map.entry("PodTemplate", "podtemplates"),
            Map.entry("ReplicationController", "replicationcontrollers"), Map.entry("Deployment", "deployments"),
            Map.entry("ReplicaSet", "replicasets"), Map.entry("StatefulSet", "statefulsets"),
            Map.entry("DaemonSet", "daemonsets"), Map.entry("Job", "jobs"), Map.entry("CronJob", "cronjobs"),
            Map.entry("DeploymentConfig", "deploymentconfigs"), Map.entry("Build", "builds"),
            Map.entry("BuildConfig", "buildconfigs"), Map.entry("ImageStream", "imagestreams"),
            Map.entry("ImageStreamImport", "imagestreamimports"), Map.entry("ImageStreamTag", "imagestreamtags"),
            Map.entry("ImageTag", "imagetags"));

    private KindResources() {
    }

    /** The resource, or {@code null} when the webhook does not judge this kind. */
    static GroupResource of(String apiVersion, String kind) {
        String plural = PLURAL.get(kind);
        if (plural == null) {
            return null;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash).toLowerCase(Locale.ROOT);
        GroupResource gr = Resources.normalize(GroupResource.of(group, plural));
        return Resources.IMAGE_BEARING.contains(gr) || Resources.IMPORTING.contains(gr) ? gr : null;
    }
}
