package org.imagepolicy.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.junit.jupiter.api.Test;

/**
 * What /mutate pins and what it leaves alone. Rollout safety is the point: a Deployment pinned at
 * CREATE hands digests to its ReplicaSets and pods, so neither is patched again, and an UPDATE only
 * pins what changed, so a scale or a label edit never rewrites the template.
 */
class PinningTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    final AtomicInteger lookups = new AtomicInteger();
    final ImageFacts registry = (field, ref) -> {
        lookups.incrementAndGet();
        return new Resolution.Resolved(new ImageMetadata(DIGEST, Map.of(), Map.of()), false);
    };

    static ImagePolicyEngine engine(String resolveImages, String extra) throws Exception {
        return new ImagePolicyEngine(new PolicyParser(true).parse("p.yaml", "apiVersion: v1\nkind: ImagePolicyConfig\nresolveImages: "
                + resolveImages + "\n" + extra + "executionRules:\n- name: registries\n  matchRegistries: [quay.io]\n"
                + "  onResources: [{resource: pods}, {group: apps, resource: deployments}, {group: apps, resource: replicasets},"
                + " {group: batch, resource: jobs}, {resource: builds}]\n").policy());
    }

    static JsonNode template(String image) throws Exception {
        return JSON.readTree("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\""
                + image + "\"}]}}}}");
    }

    static JsonNode pod(String image) throws Exception {
        return JSON.readTree("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"" + image + "\"}]}}");
    }

    static AdmissionInput request(String op, String group, String resource, JsonNode object, JsonNode old) {
        return new AdmissionInput(AdmissionReviewCodec.V1, "u", op, GroupResource.of(group, resource), "", "", "ns", "x", false, object, old);
    }

    ImagePolicyEngine.Mutation mutate(ImagePolicyEngine e, AdmissionInput in) {
        return e.mutate(e.prepare(in, Set.of(), true), registry);
    }

    static String patch(ImagePolicyEngine.Mutation m) {
        return m.patch() == null ? null : new String(m.patch(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void pinsATagOnCreateAndNotADigestOrADeniedImage() throws Exception {
        ImagePolicyEngine e = engine("AttemptRewrite", "");
        assertThat(patch(mutate(e, request("CREATE", "", "pods", pod("quay.io/org/app:1"), null))))
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"quay.io/org/app@" + DIGEST + "\"}]");
        assertThat(mutate(e, request("CREATE", "", "pods", pod("quay.io/org/app@" + DIGEST), null)).patch()).isNull();
        ImagePolicyEngine.Mutation denied = mutate(e, request("CREATE", "", "pods", pod("ghcr.io/org/app:1"), null));
        assertThat(denied.decision().allowed()).isFalse();
        assertThat(denied.patch()).isNull();
    }

    @Test
    void aDeploymentPinnedAtCreateNeedsNoPatchForItsReplicaSetsOrPods() throws Exception {
        ImagePolicyEngine e = engine("AttemptRewrite", "");
        String pinned = "quay.io/org/app@" + DIGEST;
        assertThat(patch(mutate(e, request("CREATE", "apps", "deployments", template("quay.io/org/app:1"), null))))
                .contains("\"path\":\"/spec/template/spec/containers/0/image\"").contains(pinned);
        lookups.set(0);
        assertThat(mutate(e, request("CREATE", "apps", "replicasets", template(pinned), null)).patch()).isNull();
        assertThat(mutate(e, request("CREATE", "", "pods", pod(pinned), null)).patch()).isNull();
        assertThat(lookups.get()).as("digests are never looked up for pinning").isZero();
    }

    @Test
    void anUpdatePinsOnlyWhatChangedAndNeverAnImmutableJob() throws Exception {
        ImagePolicyEngine e = engine("AttemptRewrite", "");
        JsonNode before = template("quay.io/org/app:1");
        assertThat(mutate(e, request("UPDATE", "apps", "deployments", template("quay.io/org/app:1"), before)).patch())
                .as("a scale or label edit leaves the template alone").isNull();
        assertThat(patch(mutate(e, request("UPDATE", "apps", "deployments", template("quay.io/org/app:2"), before)))).contains(DIGEST);
        assertThat(mutate(e, request("UPDATE", "batch", "jobs", template("quay.io/org/app:2"), before)).patch()).isNull();
        assertThat(patch(mutate(e, request("CREATE", "batch", "jobs", template("quay.io/org/app:2"), null)))).contains(DIGEST);
    }

    @Test
    void aBuildsFromBecomesADockerImageReference() throws Exception {
        ImagePolicyEngine e = engine("AttemptRewrite", "");
        JsonNode build = JSON.readTree("{\"metadata\":{\"name\":\"b\"},\"spec\":{\"strategy\":{\"dockerStrategy\":{\"from\":"
                + "{\"kind\":\"DockerImage\",\"name\":\"quay.io/org/builder:1\"}}}}}");
        assertThat(patch(mutate(e, request("CREATE", "build.openshift.io", "builds", build, null))))
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/strategy/dockerStrategy/from\",\"value\":{\"kind\":\"DockerImage\","
                        + "\"name\":\"quay.io/org/builder@" + DIGEST + "\"}}]");
    }

    @Test
    void theResolutionRulesDecideAsUpstreamDoes() throws Exception {
        assertThat(mutate(engine("Attempt", ""), request("CREATE", "", "pods", pod("quay.io/org/app:1"), null)).patch())
                .as("Attempt does not rewrite").isNull();
        String coveringWithoutRewrite = "resolutionRules:\n- targetResource: {resource: pods}\n  policy: Attempt\n";
        assertThat(mutate(engine("RequiredRewrite", coveringWithoutRewrite), request("CREATE", "", "pods", pod("quay.io/org/app:1"), null))
                .patch()).as("a covering rule overrides the global rewrite (§2.4)").isNull();
        ImagePolicyEngine validateOnly = engine("AttemptRewrite", "");
        lookups.set(0);
        validateOnly.decide(validateOnly.prepare(request("CREATE", "", "pods", pod("quay.io/org/app:1"), null), Set.of()), registry);
        assertThat(lookups.get()).as("/validate pins nothing, so it looks nothing up for pinning").isZero();
    }

    @Test
    void aDecisionOnStaleRegistryDataSaysSo() throws Exception {
        ImagePolicyEngine e = new ImagePolicyEngine(new PolicyParser(true).parse("p.yaml", "apiVersion: v1\nkind: ImagePolicyConfig\n"
                + "executionRules:\n- name: gold\n  matchDockerImageLabels: [{key: tier, value: gold}]\n").policy());
        ImageFacts stale = (field, ref) -> new Resolution.Resolved(new ImageMetadata(DIGEST, Map.of("tier", "gold"), Map.of()), false,
                "the digest was looked up 300s ago and quay.io cannot be reached now (connection refused)");
        Decision d = e.decide(request("CREATE", "", "pods", pod("quay.io/org/app:1"), null), Set.of(), stale);
        assertThat(d.allowed()).isTrue();
        assertThat(d.warnings()).containsExactly("spec.containers[0].image: \"quay.io/org/app:1\" was judged on cached registry data:"
                + " the digest was looked up 300s ago and quay.io cannot be reached now (connection refused)");
    }

    @Test
    void pointersFollowFieldPaths() {
        assertThat(Pinning.pointer("spec.jobTemplate.spec.template.spec.initContainers[12].image"))
                .isEqualTo("/spec/jobTemplate/spec/template/spec/initContainers/12/image");
    }
}
