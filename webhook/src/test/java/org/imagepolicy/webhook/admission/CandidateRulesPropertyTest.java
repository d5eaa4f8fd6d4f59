package org.imagepolicy.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.ExecutionRule;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.Resources;
import org.junit.jupiter.api.Test;

/**
 * The rule index against the plain scan of every rule, over generated policies and images: registries
 * spelled every way one registry can be (ports, {@code :443}, case, Docker Hub's names, IPv6 and numeric
 * IPv4 literals), wildcards, repositories, inverted, integrated-registry, label and excluded rules. The
 * indexed and the scanning engine must plan and decide every request identically, and no rule the index
 * leaves out may be able to match by name.
 */
class CandidateRulesPropertyTest {
    private static final String[] REGISTRY_PATTERNS = {"quay.io", "quay.io:443", "quay.io:8443", "QUAY.io", "docker.io",
        "index.docker.io", "registry.hub.docker.com:443", "docker.io:5000", "*.docker.io", "*.docker.com", "*.hub.docker.com", "*.io",
        "*.example.com", "*.corp.example.com", "*.corp.example.com:5000", "corp.example.com", "a.corp.example.com",
        "[2001:db8::1]", "[2001:db8::1]:5000", "10.0.0.1", "10.0.0.1:443", "10.0.0.1:5000", "localhost:5000", "integrated.registry"};
    private static final String[] REPOSITORY_PATTERNS = {"quay.io/myorg/**", "quay.io/*/app", "quay.io:8443/myorg/**", "docker.io/nginx",
        "docker.io/library/*", "docker.io/myorg/experimental/**", "index.docker.io/myorg/**", "*.example.com/team/**",
        "*.corp.example.com/myorg/app", "*.docker.io/library/**", "[2001:db8::1]/myorg/**", "10.0.0.1:5000/**", "quay.io/**",
        "corp.example.com/*/experimental/**", "localhost:5000/team/sub/**"};
    private static final String[] REGISTRIES = {"", "quay.io", "Quay.IO:443", "quay.io:8443", "quay.io:08443", "docker.io",
        "index.docker.io", "registry-1.docker.io:443", "registry.hub.docker.com", "docker.io:5000", "a.corp.example.com",
        "b.a.corp.example.com:5000", "corp.example.com", "x.example.com", "example.com.evil.net", "[2001:db8::1]",
        "[2001:db8:0:0:0:0:0:1]:5000", "[::ffff:a00:1]", "10.0.0.1", "10.1", "0xa.0.0.1:443", "167772161:5000", "localhost:5000",
        "integrated.registry", "hub.docker.com", "registry.example.com"};
    private static final String[] PATHS = {"nginx", "library/nginx", "myorg/app", "myorg/experimental/x", "myorg-evil/x",
        "team/sub/deep/app", "team/app"};
    private static final String[] SUFFIXES = {"", ":1", "@sha256:" + "a".repeat(64)};

    @Test
    void indexedEvaluationDecidesAsThePlainScan() throws Exception {
        Random random = new Random(13);
        int policies = 0;
        int requests = 0;
        Set<String> outcomes = new HashSet<>();
        for (int n = 0; n < 600; n++) {
            ImagePolicy policy = generatedPolicy(random);
            if (policy == null) {
                continue;
            }
            policies++;
            ImagePolicyEngine indexed = new ImagePolicyEngine(policy, true);
            ImagePolicyEngine scan = new ImagePolicyEngine(policy, false);
            for (int r = 0; r < 15; r++) {
                List<String> images = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    images.add(image(random));
                }
                Set<String> excluded = random.nextInt(4) == 0 ? Set.of("rule-" + random.nextInt(6)) : Set.of();
                AdmissionInput in = pod(images);
                boolean mutating = random.nextBoolean();
                PreparedRequest a = indexed.prepare(in, excluded, mutating);
                PreparedRequest b = scan.prepare(in, excluded, mutating);
                assertThat(a.references).as("plan of %s under\n%s", images, policy).isEqualTo(b.references);
                ImageFacts facts = facts(random.nextInt(3));
                Decision da = indexed.decide(a, facts);
                assertThat(da).as("decision on %s under\n%s", images, policy).isEqualTo(scan.decide(b, facts));
                outcomes.add(da.outcome().name());
                requests++;
            }
        }
        assertThat(policies).as("valid generated policies").isGreaterThan(400);
        assertThat(requests).isGreaterThan(6000);
        assertThat(outcomes).as("the generator reaches every outcome").contains("ALLOWED", "DENIED", "WARNED", "AUDITED");
    }

    @Test
    void noRuleLeftOutCanMatchByName() {
        Random random = new Random(31);
        int leftOut = 0;
        for (int n = 0; n < 600; n++) {
            ImagePolicy policy = generatedPolicy(random);
            if (policy == null) {
                continue;
            }
            List<ExecutionRule> rules = ResourceRules.index(policy, true).get(Resources.PODS).rules();
            CandidateRules index = CandidateRules.index(rules);
            for (String registry : REGISTRIES) {
                for (String path : PATHS) {
                    ImageReference ref;
                    try {
                        ref = ImageReference.parse(registry.isEmpty() ? path : registry + "/" + path);
                    } catch (InvalidImageReferenceException e) {
                        continue;
                    }
                    for (String implied : new String[] {"", "docker.io"}) {
                        String key = ref.qualified() ? ref.registryKey() : implied;
                        String repository = ref.canonicalRepository(implied);
                        Set<Integer> kept = new HashSet<>();
                        int previous = -1;
                        for (int i : index.candidates(key, repository)) {
                            assertThat(i).as("candidates in rule order").isGreaterThan(previous);
                            previous = i;
                            kept.add(i);
                        }
                        for (int i = 0; i < rules.size(); i++) {
                            if (kept.contains(i)) {
                                continue;
                            }
                            leftOut++;
                            ExecutionRule rule = rules.get(i);
                            assertThat(rule.invertMatch()).isFalse();
                            for (boolean integrated : new boolean[] {false, true}) {
                                assertThat(NameConditions.hold(rule, true, key, repository, integrated, null))
                                        .as("%s left out for %s (%s)", rule.describe(), key, repository).isFalse();
                            }
                        }
                    }
                }
            }
        }
        assertThat(leftOut).as("the index leaves rules out").isGreaterThan(10000);
    }

    /** A random policy of up to 12 rules on pods, or {@code null} when the generator wrote an invalid one. */
    private static ImagePolicy generatedPolicy(Random random) {
        StringBuilder y = new StringBuilder("apiVersion: image.openshift.io/v1\nkind: ImagePolicyConfig\n");
        y.append("resolveImages: ").append(new String[] {"DoNotAttempt", "Attempt", "Required", "AttemptRewrite"}[random.nextInt(4)])
                .append('\n');
        switch (random.nextInt(4)) {
            case 0 -> y.append("unqualifiedSearchRegistries: [docker.io, quay.io]\n");
            case 1 -> y.append("defaultRegistry: docker.io\n");
            default -> {
            }
        }
        if (random.nextBoolean()) {
            y.append("integratedRegistryHostnames: [integrated.registry, \"quay.io:8443\"]\n");
        }
        y.append("executionRules:\n");
        for (int i = 0, rules = 1 + random.nextInt(12); i < rules; i++) {
            y.append("- name: rule-").append(i).append("\n  onResources: [{resource: pods}]\n");
            y.append("  reject: ").append(random.nextInt(3) == 0).append('\n');
            y.append("  invertMatch: ").append(random.nextInt(6) == 0).append('\n');
            y.append("  enforcement: ").append(new String[] {"Deny", "Deny", "Warn", "Audit"}[random.nextInt(4)]).append('\n');
            if (random.nextInt(10) == 0) {
                y.append("  matchIntegratedRegistry: true\n");
            }
            if (random.nextInt(10) == 0) {
                y.append("  ignoreNamespaceOverride: true\n");
            }
            if (random.nextInt(8) == 0) {
                y.append("  skipOnResolutionFailure: true\n");
            }
            if (random.nextInt(7) == 0) {
                y.append("  matchDockerImageLabels: [{key: approved, value: \"true\"}]\n");
            }
            if (random.nextInt(3) != 0) {
                y.append("  matchRegistries: ").append(pick(random, REGISTRY_PATTERNS, 1 + random.nextInt(4))).append('\n');
            }
            if (random.nextInt(3) == 0) {
                y.append("  matchRepositories: ").append(pick(random, REPOSITORY_PATTERNS, 1 + random.nextInt(3))).append('\n');
            }
        }
        try {
            return new PolicyParser(false).parse("generated.yaml", y.toString()).policy();
        } catch (PolicyException e) {
            return null;
        }
    }

    private static String pick(Random random, String[] from, int count) {
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add('"' + from[random.nextInt(from.length)] + '"');
        }
        return chosen.toString();
    }

    private static String image(Random random) {
        String registry = REGISTRIES[random.nextInt(REGISTRIES.length)];
        String path = PATHS[random.nextInt(PATHS.length)];
        return (registry.isEmpty() ? "" : registry + "/") + path + SUFFIXES[random.nextInt(SUFFIXES.length)];
    }

    /** Lookups answer by the image: none, all approved, or approved by a hash of the name; the integrated registry by name. */
    private static ImageFacts facts(int kind) {
        return (field, reference) -> {
            if (kind == 0 || reference == null) {
                return Resolution.OFFLINE;
            }
            boolean approved = kind == 1 || (reference.raw().hashCode() & 1) == 0;
            ImageMetadata metadata = new ImageMetadata("sha256:" + "b".repeat(64), Map.of("approved", String.valueOf(approved)), Map.of());
            return new Resolution.Resolved(metadata, reference.registryKey().equals("integrated.registry"));
        };
    }

    private static AdmissionInput pod(List<String> images) throws Exception {
        StringBuilder containers = new StringBuilder();
        for (int i = 0; i < images.size(); i++) {
            containers.append(i == 0 ? "" : ",").append("{\"name\":\"c").append(i).append("\",\"image\":\"").append(images.get(i))
                    .append("\"}");
        }
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},\"namespace\":\"team-a\","
                + "\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"containers\":[" + containers + "]}}}}";
        return AdmissionReviewCodec.decode(review.getBytes(StandardCharsets.UTF_8));
    }
}
