package org.imagepolicy.webhook.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The resources that carry images, and how 3.x configs and clusters spelled their groups. */
public final class Resources {
    public static final GroupResource PODS = GroupResource.of("", "pods");
    public static final GroupResource BUILDS = GroupResource.of("build.openshift.io", "builds");
    public static final GroupResource BUILD_CONFIGS = GroupResource.of("build.openshift.io", "buildconfigs");
    public static final GroupResource JOBS = GroupResource.of("batch", "jobs");

    public static final GroupResource IMAGE_STREAMS = GroupResource.of("image.openshift.io", "imagestreams");
    public static final GroupResource IMAGE_STREAM_IMPORTS = GroupResource.of("image.openshift.io", "imagestreamimports");
    public static final GroupResource IMAGE_STREAM_TAGS = GroupResource.of("image.openshift.io", "imagestreamtags");
    public static final GroupResource IMAGE_TAGS = GroupResource.of("image.openshift.io", "imagetags");

    /**
     * What the import policy ({@code allowedRegistriesForImport}) judges, as openshift-apiserver does: every
     * image.openshift.io resource whose writes carry a DockerImage to import (ImageStreamImages are read-only,
     * ImageStreamMappings are the registry's own pushes). Execution rules never name these.
     */
    public static final Set<GroupResource> IMPORTING = Set.of(IMAGE_STREAMS, IMAGE_STREAM_IMPORTS, IMAGE_STREAM_TAGS, IMAGE_TAGS);

    /** Every resource the engine can read images from for execution rules. */
    public static final Set<GroupResource> IMAGE_BEARING = Set.of(
            PODS,
            GroupResource.of("", "podtemplates"),
            GroupResource.of("", "replicationcontrollers"),
            GroupResource.of("apps", "deployments"),
            GroupResource.of("apps", "replicasets"),
            GroupResource.of("apps", "statefulsets"),
            GroupResource.of("apps", "daemonsets"),
            GroupResource.of("extensions", "deployments"),
            GroupResource.of("extensions", "replicasets"),
            GroupResource.of("extensions", "daemonsets"),
            JOBS,
            GroupResource.of("batch", "cronjobs"),
            GroupResource.of("apps.openshift.io", "deploymentconfigs"),
            BUILDS,
            BUILD_CONFIGS);

    /**
     * OpenShift 3.x served its own resources in the legacy group {@code ""}, so 3.x policies say
     * {@code resource: builds}; reading them in the real group keeps a moved config covering builds.
     */
    private static final Map<String, String> LEGACY_OPENSHIFT_GROUPS = Map.of(
            "builds", "build.openshift.io",
            "buildconfigs", "build.openshift.io",
            "deploymentconfigs", "apps.openshift.io",
            "imagestreams", "image.openshift.io",
            "imagestreamimports", "image.openshift.io",
            "imagestreamtags", "image.openshift.io");

    private static final Map<String, String> USUAL_GROUPS = Map.of(
            "deployments", "apps", "replicasets", "apps", "statefulsets", "apps", "daemonsets", "apps",
            "jobs", "batch", "cronjobs", "batch");

    private Resources() {
    }

    public static GroupResource normalize(GroupResource gr) {
        if (gr.group().isEmpty()) {
            String group = LEGACY_OPENSHIFT_GROUPS.get(gr.resource());
            if (group != null) {
                return new GroupResource(group, gr.resource());
            }
        }
        return gr;
    }

    public static boolean carriesImages(GroupResource gr) {
        return IMAGE_BEARING.contains(gr);
    }

    /** A hint for a resource named in the wrong group, e.g. {@code deployments} without {@code apps}. */
    public static String suggestion(GroupResource gr) {
        String group = USUAL_GROUPS.get(gr.resource());
        if (group != null && !group.equals(gr.group())) {
            return "; " + gr.resource() + " are in group " + group + ": write {group: " + group + ", resource: " + gr.resource() + "}";
        }
        return "";
    }

    public static String supportedList() {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        IMAGE_BEARING.stream().sorted((a, b) -> a.toString().compareTo(b.toString()))
                .forEach(gr -> byGroup.computeIfAbsent(gr.group().isEmpty() ? "\"\"" : gr.group(), g -> new java.util.ArrayList<>())
                        .add(gr.resource()));
        return byGroup.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
