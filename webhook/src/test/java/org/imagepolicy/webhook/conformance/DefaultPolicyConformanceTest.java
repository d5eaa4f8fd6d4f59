package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.BAD;
import static org.imagepolicy.webhook.conformance.Conformance.BAD_SHA;
import static org.imagepolicy.webhook.conformance.Conformance.GOOD;
import static org.imagepolicy.webhook.conformance.Conformance.GOOD_SHA;
import static org.imagepolicy.webhook.conformance.Conformance.INTEGRATED;
import static org.imagepolicy.webhook.conformance.Conformance.assertAllowed;
import static org.imagepolicy.webhook.conformance.Conformance.assertDenied;
import static org.imagepolicy.webhook.conformance.Conformance.build;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.createPod;
import static org.imagepolicy.webhook.conformance.Conformance.dockerRef;
import static org.imagepolicy.webhook.conformance.Conformance.only;
import static org.imagepolicy.webhook.conformance.Conformance.podWith;

import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.policy.Enforcement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §4 A: the default policy (one deny rule {@code execution-denied} on deny-execution annotated images,
 * skipOnResolutionFailure) against the shared fixtures. Resolution is simulated by {@link Conformance.StubFacts}:
 * {@code good} and {@code bad} resolve, everything else fails as upstream's resolver would.
 */
class DefaultPolicyConformanceTest {
    private static final String MYSQL_GOOD_DIGEST = "index.docker.io/mysql@" + GOOD_SHA;
    private static final String MYSQL_BAD_DIGEST = "index.docker.io/mysql@" + BAD_SHA;

    private final ImagePolicyEngine engine = new ImagePolicyEngine(Conformance.policy(Conformance.resource("default-policy.yaml")));

    private final Conformance.StubFacts facts = Conformance.facts()
            .resolve(MYSQL_GOOD_DIGEST, GOOD)
            .resolve(MYSQL_BAD_DIGEST, BAD)
            .resolveIntegrated(INTEGRATED + "/repo/mysql@" + GOOD_SHA, GOOD)
            .resolveIntegrated(INTEGRATED + "/repo/mysql:goodtag", GOOD)
            .resolveIntegrated(INTEGRATED + "/repo/mysql:badtag", BAD);

    @Test
    @DisplayName("§4 A.1 pod index.docker.io/mysql:latest cannot be resolved, the rule is skipped: allowed (resolution was attempted)")
    void a1_unresolvableExternalTagIsAllowed() {
        Decision d = engine.decide(createPod("index.docker.io/mysql:latest"), facts);
        assertAllowed(d);
        assertThat(facts.looked).as("default resolveImages is Attempt, so the image is looked up").contains("index.docker.io/mysql:latest");
    }

    @Test
    @DisplayName("§4 A.2 pod index.docker.io/mysql@goodSHA resolves to the good image: allowed")
    void a2_goodDigestIsAllowed() {
        assertAllowed(engine.decide(createPod(MYSQL_GOOD_DIGEST), facts));
    }

    @Test
    @DisplayName("§4 A.3 pod integrated.registry/repo/mysql@goodSHA: allowed")
    void a3_integratedGoodDigestIsAllowed() {
        assertAllowed(engine.decide(createPod(INTEGRATED + "/repo/mysql@" + GOOD_SHA), facts));
    }

    @Test
    @DisplayName("§4 A.4 pod integrated.registry/repo/mysql:missingtag fails to resolve (not fatal), rule skipped: allowed")
    void a4_missingTagIsAllowed() {
        assertAllowed(engine.decide(createPod(INTEGRATED + "/repo/mysql:missingtag"), facts));
    }

    @Test
    @DisplayName("§4 A.5 pod integrated.registry/repo/mysql:goodtag resolves to good: allowed (unchanged: /validate never mutates)")
    void a5_goodTagIsAllowed() {
        assertAllowed(engine.decide(createPod(INTEGRATED + "/repo/mysql:goodtag"), facts));
    }

    @Test
    @DisplayName("§4 A.6 pod with image resolving to a deny-execution image is denied (403, rule execution-denied)")
    void a6_badTagIsDenied() {
        Decision d = engine.decide(createPod(INTEGRATED + "/repo/mysql:badtag"), facts);
        assertDenied(d, "spec.containers[0].image");
        Violation v = only(d);
        assertThat(v.rule()).isEqualTo("execution-denied");
        assertThat(v.enforcement()).isEqualTo(Enforcement.Deny);
        assertThat(d.message()).contains("spec.containers[0].image: Forbidden: this image is prohibited by policy: ")
                .contains("execution-denied");
    }

    @Test
    @DisplayName("§4 A.7 pod index.docker.io/mysql@badSHA is denied")
    void a7_badDigestIsDenied() {
        Decision d = engine.decide(createPod(MYSQL_BAD_DIGEST), facts);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).rule()).isEqualTo("execution-denied");
    }

    @Test
    @DisplayName("§4 A.8 the bad image as an init container is denied at spec.initContainers[0].image")
    void a8_badInitContainerIsDenied() {
        Decision d = engine.decide(create("", "pods", podWith(List.of(MYSQL_BAD_DIGEST), List.of(MYSQL_GOOD_DIGEST))), facts);
        assertDenied(d, "spec.initContainers[0].image");
    }

    @ParameterizedTest(name = "§4 A.{0} Build with the bad image in {1} is denied")
    @DisplayName("§4 A.9-12 Builds with the bad image in source.images, docker, source or custom strategy from are denied")
    @CsvSource({
        "9,  source.images,  ,               spec.source.images[0].from.name",
        "10, dockerStrategy, dockerStrategy, spec.strategy.dockerStrategy.from.name",
        "11, sourceStrategy, sourceStrategy, spec.strategy.sourceStrategy.from.name",
        "12, customStrategy, customStrategy, spec.strategy.customStrategy.from.name",
    })
    void a9to12_buildWithBadImageIsDenied(int scenario, String where, String strategy, String path) {
        var object = strategy == null
                ? build("Build", List.of(dockerRef(MYSQL_BAD_DIGEST)), "dockerStrategy", null)
                : build("Build", List.of(), strategy, dockerRef(MYSQL_BAD_DIGEST));
        Decision d = engine.decide(create("build.openshift.io", "builds", object), facts);
        assertDenied(d, path);
        assertThat(only(d).rule()).isEqualTo("execution-denied");
    }

    @Test
    @DisplayName("§4 A.9-12 control: a Build whose images are all good is allowed")
    void buildWithGoodImagesIsAllowed() {
        var object = build("Build", List.of(dockerRef(MYSQL_GOOD_DIGEST)), "sourceStrategy", dockerRef(MYSQL_GOOD_DIGEST));
        assertAllowed(engine.decide(create("build.openshift.io", "builds", object), facts));
    }

    @Test
    @DisplayName("§4 A.13 a BuildConfig with the bad image in source.images is allowed: buildconfigs are not covered")
    void a13_buildConfigIsNotCovered() {
        var object = build("BuildConfig", List.of(dockerRef(MYSQL_BAD_DIGEST)), "dockerStrategy", null);
        Decision d = engine.decide(create("build.openshift.io", "buildconfigs", object), facts);
        assertAllowed(d);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SKIPPED);
    }

    @Test
    @DisplayName("§4 A.16 namespace ignore-rules execution-denied: the bad pod is allowed")
    void a16_namespaceExclusionAllowsBadImage() {
        assertDenied(engine.decide(createPod(MYSQL_BAD_DIGEST), facts));
        assertAllowed(engine.decide(createPod(MYSQL_BAD_DIGEST), Set.of("execution-denied"), facts));
    }

    @Test
    @DisplayName("§4 A (offline) until registry lookups exist every resolution fails, so the skipOnResolutionFailure rule never denies")
    void offlineDefaultPolicyAllowsEverything() {
        assertAllowed(engine.decide(createPod(MYSQL_BAD_DIGEST), org.imagepolicy.webhook.admission.ImageFacts.OFFLINE));
    }
}
