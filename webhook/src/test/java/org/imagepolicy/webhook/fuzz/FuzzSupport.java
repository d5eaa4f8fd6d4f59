package org.imagepolicy.webhook.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;

/** What the fuzz tests share: how bytes become text, the policy that covers everything, and fake registry facts. */
final class FuzzSupport {
    /** A leading byte that makes the rest of an input UTF-16BE, so the fuzzer can also reach unpaired surrogates. */
    private static final int UTF16_MARKER = 0xFF;

    private FuzzSupport() {
    }

    /**
     * Corpus files are plain UTF-8 text, readable and editable; an input starting with 0xFF (never valid
     * UTF-8) is read as UTF-16BE instead, which reaches every Java string.
     */
    static String text(byte[] data) {
        if (data.length > 0 && (data[0] & 0xFF) == UTF16_MARKER) {
            return StandardCharsets.UTF_16BE.decode(ByteBuffer.wrap(data, 1, data.length - 1)).toString();
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    /** As a YAML flow list: {@code [{group: "", resource: pods}, ...]}. */
    private static final String ALL_RESOURCES = "[" + String.join(", ", java.util.List.of(
            "{resource: pods}", "{resource: podtemplates}", "{resource: replicationcontrollers}",
            "{group: apps, resource: deployments}", "{group: apps, resource: replicasets}",
            "{group: apps, resource: statefulsets}", "{group: apps, resource: daemonsets}",
            "{group: extensions, resource: deployments}", "{group: extensions, resource: replicasets}",
            "{group: extensions, resource: daemonsets}", "{group: batch, resource: jobs}", "{group: batch, resource: cronjobs}",
            "{group: apps.openshift.io, resource: deploymentconfigs}", "{group: build.openshift.io, resource: builds}",
            "{group: build.openshift.io, resource: buildconfigs}")) + "]";

    /**
     * Every resource the engine reads, every kind of rule (allow and reject; Deny, Warn and Audit; registries,
     * repositories, labels, annotations, the integrated registry), resolution rules with rewriting, a default
     * registry, exempt namespaces and controller-owned objects skipped.
     */
    static final String POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            resolveImages: Attempt
            defaultRegistry: docker.io
            skipControllerOwned: true
            exemptNamespaces: [kube-system]
            integratedRegistryHostnames: ["image-registry.openshift-image-registry.svc:5000", "*.apps.example.com"]
            resolutionRules:
            - targetResource: {resource: pods}
              localNames: true
              policy: AttemptRewrite
            - targetResource: {group: apps, resource: deployments}
              policy: RequiredRewrite
            - targetResource: {group: build.openshift.io, resource: builds}
              localNames: true
              policy: Required
            - targetResource: {group: batch, resource: "*"}
              policy: AttemptRewrite
            executionRules:
            - name: trusted-registries
              onResources: %1$s
              matchRegistries: [docker.io, registry.access.redhat.com, "*.corp.example.com", "localhost:5000", "[::1]:5000"]
            - name: integrated
              onResources: %1$s
              matchIntegratedRegistry: true
            - name: no-experimental
              reject: true
              enforcement: Warn
              onResources: %1$s
              matchRepositories: ["docker.io/myorg/experimental/**", "quay.io/*/bad", docker.io/nginx]
            - name: busybox-is-watched
              reject: true
              enforcement: Audit
              onResources: %1$s
              matchRepositories: [docker.io/library/busybox]
            - name: execution-denied
              reject: true
              onResources: %1$s
              matchImageAnnotations: [{key: images.openshift.io/deny-execution, value: "true"}]
              skipOnResolutionFailure: true
            - name: approved-only
              reject: true
              invertMatch: true
              enforcement: Warn
              onResources: %1$s
              matchImageLabels:
              - matchLabels: {com.example.approved: "true"}
              - matchExpressions: [{key: tier, operator: In, values: [gold, silver]}]
              matchDockerImageLabels: [{key: com.example.approved, value: "true"}]
              skipOnResolutionFailure: true
            - name: outside-corp
              reject: true
              ignoreNamespaceOverride: true
              enforcement: Audit
              onResources: %1$s
              invertMatch: true
              matchRegistries: ["*.corp.example.com"]
            """.formatted(ALL_RESOURCES);

    static ImagePolicy policy() {
        try {
            return new PolicyParser(true).parse("fuzz-policy.yaml", POLICY).policy();
        } catch (PolicyException e) {
            throw new IllegalStateException("the fuzz policy does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * A registry that knows every image: a digest derived from the name, and labels and annotations chosen by
     * it, so rules on metadata and {@code /mutate} pinning are reached too. Deterministic, so failures reproduce.
     */
    static final ImageFacts RESOLVING = (field, reference) -> {
        if (reference == null) {
            return new Resolution.Failed("not a registry image");
        }
        byte[] hash = sha256(reference.exact());
        String digest = "sha256:" + HexFormat.of().formatHex(hash);
        Map<String, String> labels = (hash[0] & 1) == 0 ? Map.of("com.example.approved", "true", "tier", "gold")
                : Map.of("tier", "bronze");
        Map<String, String> annotations = (hash[0] & 2) == 0 ? Map.of("images.openshift.io/deny-execution", "true") : Map.of();
        String staleness = (hash[0] & 8) == 0 ? null : "stale";
        return new Resolution.Resolved(new ImageMetadata(digest, labels, annotations), (hash[0] & 4) == 0, staleness);
    };

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
