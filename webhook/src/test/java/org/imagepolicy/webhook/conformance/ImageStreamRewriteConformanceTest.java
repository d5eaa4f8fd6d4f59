package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.IMAGE1_SHA;
import static org.imagepolicy.webhook.conformance.Conformance.INTEGRATED;
import static org.imagepolicy.webhook.conformance.Conformance.build;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.ref;
import static org.imagepolicy.webhook.conformance.Conformance.update;
import static org.imagepolicy.webhook.conformance.Conformance.workload;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §2.4 RewriteImagePullSpec with answers from the image API (§4 B.22, B.31, B.32 and the localNames rule): which
 * resolved references {@code /mutate} rewrites, decided by the engine from the answer's LocalRewrite and the
 * policy's resolution rules. The answers are stubbed here; ImageApiConformanceTest gets them from the image API.
 */
class ImageStreamRewriteConformanceTest {
    static final String IMAGE1_REF = INTEGRATED + "/image1/image1@" + IMAGE1_SHA;

    /** What the image API answers for an image stream tag: image1, pinned to its pull spec. */
    static ImageFacts streamAnswer(boolean localRewrite) {
        Resolution r = new Resolution.Resolved(new ImageMetadata(IMAGE1_SHA, Map.of(), Map.of()), true, null, IMAGE1_REF, localRewrite,
                "the image API: image stream tag default/test:other");
        return (field, reference) -> r;
    }

    static String patch(ImagePolicyEngine engine, AdmissionInput in, ImageFacts facts) {
        ImagePolicyEngine.Mutation m = engine.mutate(engine.prepare(in, Set.of(), true), facts);
        assertThat(m.decision().allowed()).as(m.decision().toString()).isTrue();
        return m.patch() == null ? null : new String(m.patch(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("§4 B.22 built-in defaults, ReplicaSet (extensions) with integrated.registry/default/test:other, no LocalRewrite: unchanged")
    void b22_builtInDefaultsDoNotRewriteIntegratedNames() {
        ImagePolicyEngine e = engine("kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\n");
        AdmissionInput rs = create("extensions", "replicasets", workload("extensions/v1beta1", "ReplicaSet", INTEGRATED + "/default/test:other"));
        assertThat(patch(e, rs, streamAnswer(false))).isNull();
    }

    @Test
    @DisplayName("§4 B.31 global RequiredRewrite, builds rule policy Attempt: the ImageStreamTag from resolves and is not rewritten")
    void b31_coveringAttemptRuleDoesNotRewrite() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                resolveImages: RequiredRewrite
                resolutionRules:
                - targetResource: {group: build.openshift.io, resource: builds}
                  policy: Attempt
                """);
        AdmissionInput b = create("build.openshift.io", "builds", build("Build", List.of(), "customStrategy", ref("ImageStreamTag", "test:other")));
        assertThat(patch(e, b, streamAnswer(false))).isNull();
    }

    @Test
    @DisplayName("§4 B.32 global DoNotAttempt, builds rule AttemptRewrite: the ImageStreamTag from becomes {DockerImage, image1's pull spec}")
    void b32_coveringRewriteRuleRewrites() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                resolveImages: DoNotAttempt
                resolutionRules:
                - targetResource: {group: build.openshift.io, resource: builds}
                  policy: AttemptRewrite
                """);
        AdmissionInput b = create("build.openshift.io", "builds", build("Build", List.of(), "customStrategy", ref("ImageStreamTag", "test:other")));
        assertThat(patch(e, b, streamAnswer(false))).isEqualTo(
                "[{\"op\":\"replace\",\"path\":\"/spec/strategy/customStrategy/from\",\"value\":{\"kind\":\"DockerImage\",\"name\":\"" + IMAGE1_REF + "\"}}]");
    }

    @Test
    @DisplayName("§2.4 a covering rule with localNames: true and policy Attempt rewrites a local name (LocalRewrite), not other names")
    void localNamesRewriteOnlyLocalAnswers() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                resolutionRules:
                - targetResource: {group: apps, resource: deployments}
                  localNames: true
                  policy: Attempt
                """);
        AdmissionInput d = create("apps", "deployments", workload("apps/v1", "Deployment", "test:other"));
        assertThat(patch(e, d, streamAnswer(true))).isEqualTo(
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + IMAGE1_REF + "\"}]");
        assertThat(patch(e, d, streamAnswer(false))).as("not a local name: the rule's policy Attempt does not rewrite").isNull();
    }

    @Test
    @DisplayName("§2.4 Builds are immutable: a local name in a Build is not rewritten on UPDATE, even with localNames")
    void buildsAreNotRewrittenOnUpdate() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                resolutionRules:
                - targetResource: {group: build.openshift.io, resource: builds}
                  localNames: true
                  policy: AttemptRewrite
                """);
        var before = build("Build", List.of(), "customStrategy", ref("DockerImage", "test:old"));
        var after = build("Build", List.of(), "customStrategy", ref("DockerImage", "test:other"));
        assertThat(patch(e, update("build.openshift.io", "builds", after, before), streamAnswer(true))).isNull();
        assertThat(patch(e, create("build.openshift.io", "builds", after), streamAnswer(true))).contains(IMAGE1_REF);
    }
}
