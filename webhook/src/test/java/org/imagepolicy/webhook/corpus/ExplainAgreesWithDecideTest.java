package org.imagepolicy.webhook.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.ConditionCheck;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.admission.ReferenceTrace;
import org.imagepolicy.webhook.admission.RuleCheck;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.authoring.AdmissionRequests;
import org.imagepolicy.webhook.authoring.ExplainReport;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.Resources;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * {@code explain} and {@code test} read the judge's own trace ({@link ImagePolicyEngine#explain}). Over every
 * workload and every image of the corpus, under policies that use every kind of condition, the traced
 * decision must equal {@code decide}'s, and the trace must account for each violation: a denial names a
 * rule the trace shows matched, and "no allow rule matched" appears exactly when the trace shows none did.
 */
class ExplainAgreesWithDecideTest {
    /** Every condition the judge knows, with facts below that make each of them both hold and fail somewhere. */
    static final List<String> POLICIES = List.of("""
            apiVersion: v1
            kind: ImagePolicyConfig
            resolveImages: Attempt
            integratedRegistryHostnames: [image-registry.openshift-image-registry.svc:5000, "*.apps.example.com"]
            executionRules:
            - name: trusted
              onResources: [{resource: pods}, {group: apps, resource: deployments}, {resource: builds}, {group: batch, resource: cronjobs}]
              matchRegistries: [docker.io, quay.io, "*.gcr.io", registry.k8s.io, "localhost:5000"]
            - name: team-repos
              onResources: [{resource: pods}, {group: apps, resource: deployments}]
              matchRepositories: ["ghcr.io/*/**", docker.io/bitnami/**]
            - name: integrated
              onResources: [{resource: pods}, {group: apps, resource: statefulsets}]
              matchIntegratedRegistry: true
            - name: deny-flagged
              reject: true
              skipOnResolutionFailure: true
              onResources: [{resource: pods}, {group: apps, resource: deployments}, {group: apps, resource: daemonsets}]
              matchImageAnnotations: [{key: images.openshift.io/deny-execution, value: "true"}]
            - name: warn-unapproved
              reject: true
              invertMatch: true
              enforcement: Warn
              onResources: [{resource: pods}, {group: apps, resource: deployments}]
              matchRegistries: [docker.io]
              matchDockerImageLabels: [{key: approved, value: "true"}]
            - name: audit-tier
              reject: true
              enforcement: Audit
              onResources: [{resource: pods}, {group: batch, resource: jobs}]
              matchImageLabels: [{matchLabels: {tier: beta}, matchExpressions: [{key: owner, operator: Exists}]}]
            """, """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            resolveImages: Required
            defaultRegistry: docker.io
            executionRules:
            - name: hub-only
              onResources: [{resource: pods}, {group: apps, resource: deployments}, {group: apps, resource: statefulsets}]
              matchRegistries: [docker.io]
              matchImageLabels: [{matchExpressions: [{key: tier, operator: NotIn, values: [beta]}]}]
            - name: no-latest-repos
              reject: true
              onResources: [{resource: pods}]
              matchRepositories: [docker.io/library/busybox, "quay.io/**"]
            """, """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            unqualifiedSearchRegistries: [registry.access.redhat.com, docker.io, "quay.io:443"]
            executionRules:
            - name: trusted
              onResources: [{resource: pods}, {group: apps, resource: deployments}, {group: apps, resource: statefulsets}]
              matchRegistries: [registry.access.redhat.com, docker.io, "registry.k8s.io:443"]
            - name: no-quay
              reject: true
              onResources: [{resource: pods}, {group: apps, resource: deployments}]
              matchRegistries: [quay.io]
            - name: hub-library-only
              reject: true
              invertMatch: true
              enforcement: Audit
              onResources: [{resource: pods}]
              matchRepositories: ["docker.io/library/*", "registry.access.redhat.com/**", "quay.io/**", "registry.k8s.io/**"]
            """);

    /** Facts that vary with the image: resolved with labels and annotations, or failed, deterministically. */
    static final ImageFacts FACTS = (field, reference) -> {
        int h = Math.floorMod(field.name().hashCode(), 7);
        if (h == 0) {
            return new Resolution.Failed("manifest unknown");
        }
        Map<String, String> labels = new HashMap<>();
        labels.put("approved", h % 2 == 0 ? "true" : "false");
        if (h >= 4) {
            labels.put("tier", "beta");
        }
        if (h == 5) {
            labels.put("owner", "team-a");
        }
        Map<String, String> annotations = h == 3 ? Map.of("images.openshift.io/deny-execution", "true") : Map.of();
        return new Resolution.Resolved(new ImageMetadata("sha256:" + "ab".repeat(32), labels, annotations), h == 6);
    };

    @Test
    void theTracedDecisionIsDecideAndExplainsEveryViolation() throws Exception {
        int judged = 0;
        Set<String> images = new LinkedHashSet<>();
        Map<RuleCheck.Status, Integer> statuses = new HashMap<>();
        int[] readings = new int[1];
        for (String text : POLICIES) {
            ImagePolicyEngine engine = new ImagePolicyEngine(new PolicyParser(true).parse("policy.yaml", text).policy());
            for (CorpusDocuments.Document doc : CorpusDocuments.documents()) {
                for (JsonNode object : CorpusDocuments.objects(doc.node())) {
                    GroupResource gr = CorpusTest.resourceOf(object);
                    if (gr == null) {
                        continue;
                    }
                    AdmissionInput in = new AdmissionInput(AdmissionReviewCodec.V1, "corpus", "CREATE", gr, "", object.path("kind").asText(),
                            "corpus", object.path("metadata").path("name").asText(), true, object, null);
                    // The second pass opts the namespace out of two rules, as its ignore-rules annotation would.
                    for (Set<String> excluded : List.of(Set.<String>of(), Set.of("audit-tier", "no-latest-repos"))) {
                        judged += judgeEveryWay(engine, in, excluded, doc.name() + " under policy " + POLICIES.indexOf(text), images, statuses, readings);
                    }
                }
            }
        }
        assertThat(judged).as("references judged").isGreaterThan(1500);
        assertThat(images).as("distinct images").hasSizeGreaterThan(100);
        assertThat(statuses).as("every rule status seen").containsKeys(RuleCheck.Status.values());
        assertThat(readings[0]).as("references judged once per search registry").isGreaterThan(50);
    }

    /** With both kinds of facts; returns the references judged, and counts those judged once per search registry. */
    private static int judgeEveryWay(ImagePolicyEngine engine, AdmissionInput in, Set<String> excluded, String where, Set<String> images,
            Map<RuleCheck.Status, Integer> statuses, int[] readings) {
        int judged = 0;
        for (ImageFacts facts : List.of(FACTS, ImageFacts.OFFLINE)) {
            PreparedRequest prepared = engine.prepare(in, excluded);
            ImagePolicyEngine.Explanation explained = engine.explain(prepared, facts);
            assertThat(explained.decision()).as(where).isEqualTo(engine.decide(prepared, facts));
            for (ReferenceTrace t : explained.references()) {
                judged++;
                images.add(t.planned().field().name());
                accountsForItsViolations(t, where);
                t.rules().forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
                if (t.rules().stream().anyMatch(r -> r.candidateRegistry() != null)) {
                    readings[0]++;
                }
            }
        }
        return judged;
    }

    /** The explain command's pod for an image is judged as the webhook judges the same pod sent as an AdmissionReview. */
    @Test
    void explainOfEachCorpusImageGivesTheWebhooksAnswer() throws Exception {
        String request = Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json"), StandardCharsets.UTF_8);
        Set<String> images = new LinkedHashSet<>();
        for (CorpusDocuments.Document doc : CorpusDocuments.documents()) {
            for (JsonNode object : CorpusDocuments.objects(doc.node())) {
                object.findValues("image").stream().filter(JsonNode::isTextual).map(JsonNode::textValue)
                        .filter(s -> !s.isEmpty() && s.indexOf('"') < 0 && s.indexOf('\\') < 0).forEach(images::add);
            }
        }
        assertThat(images).hasSizeGreaterThan(100);
        int denied = 0;
        for (String text : POLICIES) {
            var policy = new PolicyParser(true).parse("policy.yaml", text).policy();
            ImagePolicyEngine engine = new ImagePolicyEngine(policy);
            for (String image : images) {
                AdmissionInput viaExplain = AdmissionRequests.input(AdmissionRequests.objectWithImage(Resources.PODS, image, "web", "default"), "default");
                ImagePolicyEngine.Explanation explained = engine.explain(engine.prepare(viaExplain, Set.of()), FACTS);
                Decision webhook = engine.decide(AdmissionReviewCodec.decode(request.replace("quay.io/org/app:1", image)
                        .getBytes(StandardCharsets.UTF_8)), FACTS);
                assertThat(explained.decision().allowed()).as(image).isEqualTo(webhook.allowed());
                assertThat(explained.decision().outcome()).as(image).isEqualTo(webhook.outcome());
                assertThat(reasons(explained.decision())).as(image).isEqualTo(reasons(webhook));
                String shown = ExplainReport.render(policy, image, Resources.PODS, "default", explained,
                        engine.judgesImagesOf(Resources.PODS), false);
                assertThat(shown).as(image).contains("Decision: " + webhook.outcome());
                webhook.violations().forEach(v -> assertThat(shown).as(image).contains(v.reason()));
                denied += webhook.allowed() ? 0 : 1;
            }
        }
        assertThat(denied).as("images denied").isGreaterThan(50);
    }

    private static List<String> reasons(Decision d) {
        List<String> out = new ArrayList<>();
        for (Violation v : d.violations()) {
            out.add(v.field().path() + " " + v.enforcement() + " " + v.rule() + " " + v.reason());
        }
        return out;
    }

    private static void accountsForItsViolations(ReferenceTrace t, String where) {
        for (RuleCheck r : t.rules()) {
            if (r.status() == RuleCheck.Status.MATCHED || r.status() == RuleCheck.Status.NOT_MATCHED) {
                boolean all = r.conditions().stream().allMatch(ConditionCheck::held);
                assertThat(r.matched()).as("%s: %s, conditions %s", where, r.rule().name(), r.conditions()).isEqualTo(all != r.rule().invertMatch());
            }
        }
        for (Violation v : t.violations()) {
            if (v.rule() != null) {
                assertThat(t.rules()).as(where).anyMatch(r -> r.rule().name().equals(v.rule()) && r.matched() && r.rule().reject());
            }
        }
        Set<String> denyingRules = new LinkedHashSet<>();
        t.rules().stream().filter(r -> r.matched() && r.rule().reject()).forEach(r -> denyingRules.add(r.rule().name()));
        assertThat(t.violations().stream().filter(v -> v.rule() != null).map(Violation::rule).toList()).as(where)
                .containsExactlyElementsOf(denyingRules);
        boolean noAllow = t.violations().stream().anyMatch(v -> v.rule() == null && v.reason().contains("no allow rule for"));
        // An image that names no registry is judged once per search registry: one reading without an allow rule denies.
        Map<String, Boolean> allowedPerReading = new HashMap<>();
        for (RuleCheck r : t.rules()) {
            allowedPerReading.merge(String.valueOf(r.candidateRegistry()), r.matched() && !r.rule().reject(), Boolean::logicalOr);
        }
        if (t.planned().parseError() == null && !t.deniedAsUnresolvable() && !t.rules().isEmpty()) {
            assertThat(noAllow).as("%s: \"no allow rule\" exactly when the trace shows a reading none matched", where)
                    .isEqualTo(t.defaultReject() && allowedPerReading.containsValue(false));
        }
    }
}
