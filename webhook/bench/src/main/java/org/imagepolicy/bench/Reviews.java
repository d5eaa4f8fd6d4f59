package org.imagepolicy.bench;

import java.nio.charset.StandardCharsets;

/** Realistic AdmissionReviews for the benchmarks: what the API server sends for common objects. */
public final class Reviews {
    private Reviews() {
    }

    private static final String[] IMAGES = {"docker.io/library/nginx:1.25", "registry.access.redhat.com/ubi9/ubi-minimal:9.4",
        "docker.io/envoyproxy/envoy:v1.30.1", "docker.io/library/redis:7.2", "docker.io/grafana/grafana:10.4.2"};

    static String containers(int n) {
        return containers(n, i -> IMAGES[i % IMAGES.length]);
    }

    static String containers(int n, java.util.function.IntFunction<String> images) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"name\":\"c").append(i).append("\",\"image\":\"").append(images.apply(i))
                    .append("\",\"ports\":[{\"containerPort\":").append(8080 + i).append(",\"protocol\":\"TCP\"}],")
                    .append("\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"},\"limits\":{\"memory\":\"256Mi\"}},")
                    .append("\"env\":[{\"name\":\"MODE\",\"value\":\"production\"}],\"imagePullPolicy\":\"IfNotPresent\"}");
        }
        return sb.toString();
    }

    static String podSpec(int n) {
        return podSpec(containers(n));
    }

    static String podSpec(String containers) {
        return "{\"containers\":[" + containers + "],\"restartPolicy\":\"Always\",\"serviceAccountName\":\"default\","
                + "\"securityContext\":{\"runAsNonRoot\":true},\"terminationGracePeriodSeconds\":30}";
    }

    static String review(String uid, String group, String version, String resource, String kind, String object) {
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"" + uid + "\","
                + "\"kind\":{\"group\":\"" + group + "\",\"version\":\"" + version + "\",\"kind\":\"" + kind + "\"},"
                + "\"resource\":{\"group\":\"" + group + "\",\"version\":\"" + version + "\",\"resource\":\"" + resource + "\"},"
                + "\"requestKind\":{\"group\":\"" + group + "\",\"version\":\"" + version + "\",\"kind\":\"" + kind + "\"},"
                + "\"requestResource\":{\"group\":\"" + group + "\",\"version\":\"" + version + "\",\"resource\":\"" + resource + "\"},"
                + "\"name\":\"web\",\"namespace\":\"team-a\",\"operation\":\"CREATE\","
                + "\"userInfo\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\",\"uid\":\"4a5b\","
                + "\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\",\"system:authenticated\"]},"
                + "\"object\":" + object + ",\"oldObject\":null,\"dryRun\":false,"
                + "\"options\":{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}}}";
    }

    static String metadata(String name) {
        return "{\"name\":\"" + name + "\",\"namespace\":\"team-a\",\"labels\":{\"app\":\"web\",\"tier\":\"frontend\"},"
                + "\"annotations\":{\"kubernetes.io/psp\":\"restricted\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\","
                + "\"kind\":\"ReplicaSet\",\"name\":\"web-5d9f7\",\"uid\":\"0b1c\",\"controller\":true,\"blockOwnerDeletion\":true}]}";
    }

    public static byte[] pod(int containers) {
        return pod(containers, podSpec(containers));
    }

    private static byte[] pod(int containers, String spec) {
        String obj = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":" + metadata("web-5d9f7-x2x4k") + ",\"spec\":" + spec + "}";
        return review("a1b2c3d4-0000-4000-8000-00000000000" + containers, "", "v1", "pods", "Pod", obj).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] deployment() {
        String obj = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":" + metadata("web") + ",\"spec\":{\"replicas\":3,"
                + "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":"
                + podSpec(2) + "}}}";
        return review("a1b2c3d4-0000-4000-8000-0000000000d1", "apps", "v1", "deployments", "Deployment", obj).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] cronJob() {
        String obj = "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":" + metadata("nightly") + ",\"spec\":{\"schedule\":"
                + "\"0 3 * * *\",\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":" + podSpec(1) + "}}}}}";
        return review("a1b2c3d4-0000-4000-8000-0000000000c1", "batch", "v1", "cronjobs", "CronJob", obj).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] build() {
        String obj = "{\"apiVersion\":\"build.openshift.io/v1\",\"kind\":\"Build\",\"metadata\":" + metadata("app-1") + ",\"spec\":{"
                + "\"source\":{\"git\":{\"uri\":\"https://example.com/app.git\"}},\"strategy\":{\"type\":\"Docker\",\"dockerStrategy\":"
                + "{\"from\":{\"kind\":\"DockerImage\",\"name\":\"registry.access.redhat.com/ubi9/ubi:9.4\"}}},"
                + "\"output\":{\"to\":{\"kind\":\"ImageStreamTag\",\"name\":\"app:latest\"}}}}";
        return review("a1b2c3d4-0000-4000-8000-0000000000b1", "build.openshift.io", "v1", "builds", "Build", obj).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the reviews for the load harness: {@code java -cp benchmarks.jar org.imagepolicy.bench.Reviews DIR}. */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("pod-1.json"), pod(1));
        java.nio.file.Files.write(dir.resolve("pod-3.json"), pod(3));
        java.nio.file.Files.write(dir.resolve("pod-10.json"), pod(10));
        java.nio.file.Files.write(dir.resolve("deployment.json"), deployment());
        java.nio.file.Files.write(dir.resolve("cronjob.json"), cronJob());
        java.nio.file.Files.write(dir.resolve("build.json"), build());
        java.nio.file.Files.write(dir.resolve("pod-1-template.json"), podTemplate(1));
        java.nio.file.Files.write(dir.resolve("pod-3-template.json"), podTemplate(3));
        java.nio.file.Files.write(dir.resolve("pod-10-template.json"), podTemplate(10));
    }

    /** A pod whose images are {@code __IMAGE0__}, {@code __IMAGE1__}...: images.lua fills in other images per request. */
    static byte[] podTemplate(int containers) {
        return pod(containers, podSpec(containers(containers, i -> "__IMAGE" + i + "__")));
    }
}
