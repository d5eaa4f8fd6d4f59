package org.imagepolicy.webhook.report;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.report.ReferenceResult.Change;

/**
 * Runs built from model objects, replayed into any writer. Each covers what a format must render:
 * every outcome, two namespaces, an object with no namespace (cluster-scoped report), an object that could
 * not be judged, an input problem, text with markup characters, and a policy diff.
 */
public final class ReportFixtures {
    public static final Instant STARTED = Instant.parse("2026-11-30T09:15:30.123456789Z");

    public static final List<RuleInfo> RULES = List.of(
            new RuleInfo("trusted-registries", "allow", "Deny",
                    "allows images from docker.io, *.corp.example.com and registry.access.redhat.com",
                    "use an image from docker.io, *.corp.example.com or registry.access.redhat.com, or ask the policy owners to add your registry"),
            new RuleInfo("no-experimental", "deny", "Warn",
                    "warns about images under quay.io/myorg/experimental/**",
                    "move the image out of the experimental repository before release"),
            new RuleInfo("legacy-registry", "deny", "Audit",
                    "records images from registry.legacy.example.com",
                    "rebuild the image in registry.corp.example.com; the legacy registry closes in 2027"),
            new RuleInfo("resolve-corp-images", "resolution", "Deny",
                    "images from *.corp.example.com must resolve to a digest (resolveImages: Required)",
                    "check that the image exists and that the webhook can reach registry.corp.example.com"));

    /** One recorded run: what the writer is told, in order. */
    public record Run(RunInfo info, List<Object> events, Summary summary) {
        public void replay(ReportWriter writer) throws IOException {
            writer.start(info);
            for (Object e : events) {
                if (e instanceof ObjectResult o) {
                    writer.object(o);
                } else {
                    writer.problem((InputProblem) e);
                }
            }
            writer.finish(summary);
        }
    }

    private ReportFixtures() {
    }

    private static ReferenceResult ref(String field, String container, String image, String file, int line, int col,
            Outcome outcome, String rule, String message) {
        return new ReferenceResult(field, container, image, new Location(file, line, col), outcome, rule, message);
    }

    private static ObjectResult object(String file, int line, String apiVersion, String kind, String ns, String name,
            ReferenceResult... refs) {
        return new ObjectResult(new Location(file, line, 0), new ObjectRef(apiVersion, kind, ns, name, null), "CREATE",
                List.of(refs), null);
    }

    /** An audit: passes, fails, warns, audits, errors and skips across shop, payments, kube-system and no namespace. */
    public static Run auditTwoNamespacesAndUnnamespacedPod() {
        String shop = "deploy/shop.yaml";
        String pay = "deploy/payments.yaml";
        List<Object> events = new ArrayList<>();
        events.add(object(shop, 1, "apps/v1", "Deployment", "shop", "web",
                ref("spec.template.spec.containers[0].image", "web", "docker.io/library/nginx:1.27", shop, 17, 16,
                        Outcome.PASS, "trusted-registries", "docker.io/library/nginx:1.27 is allowed by rule \"trusted-registries\""),
                ref("spec.template.spec.containers[1].image", "agent", "quay.io/org/agent:2", shop, 20, 16, Outcome.FAIL, null,
                        "no allow rule for deployments matched \"quay.io/org/agent:2\" (allow rule \"trusted-registries\" (matchRegistries [docker.io, *.corp.example.com, registry.access.redhat.com])); use an image one of these rules allows, or ask the policy owners for a rule that allows this one"),
                ref("spec.template.spec.initContainers[0].image", "migrate", "quay.io/myorg/experimental/migrate:0.3", shop, 23, 16,
                        Outcome.WARN, "no-experimental",
                        "quay.io/myorg/experimental/migrate:0.3 matches deny rule \"no-experimental\" (matchRepositories [quay.io/myorg/experimental/**]), enforced as a warning; move the image out of the experimental repository before release")));
        events.add(object(shop, 26, "v1", "Pod", "shop", "debug",
                ref("spec.containers[0].image", "shell", "busybox", shop, 33, 12, Outcome.FAIL, null,
                        "no allow rule for pods matched \"busybox\": it names no registry; write docker.io/library/busybox")));
        events.add(object(shop, 36, "v1", "Pod", "shop", "typo",
                ref("spec.containers[0].image", "app", "quay.io/org/app:<latest>", shop, 43, 12, Outcome.FAIL, null,
                        "\"quay.io/org/app:<latest>\" is not a valid image reference: tag \"<latest>\" may hold only letters, digits, '_', '.' and '-'; fix the image & try again")));
        events.add(new ObjectResult(new Location(shop, 46, 0), new ObjectRef("apps/v1", "Deployment", "shop", "broken", null),
                "CREATE", List.of(), "spec.template.spec.containers is a string, not a list: the object cannot be judged"));
        events.add(new InputProblem(new Location("deploy/broken.yaml", 7, 3),
                "mapping values are not allowed here: the document was skipped"));
        events.add(object(pay, 1, "batch/v1", "CronJob", "payments", "nightly",
                ref("spec.jobTemplate.spec.template.spec.containers[0].image", "batch", "registry.corp.example.com/pay/batch:5", pay, 19, 20,
                        Outcome.ERROR, "resolve-corp-images",
                        "registry.corp.example.com/pay/batch:5 could not be looked up (registry answered 503 Service Unavailable) and rule \"resolve-corp-images\" requires a digest; check that the image exists and that the webhook can reach registry.corp.example.com")));
        events.add(object(pay, 22, "v1", "Pod", "payments", "legacy",
                ref("spec.containers[0].image", "app", "registry.legacy.example.com/pay/old:1", pay, 29, 12, Outcome.AUDIT,
                        "legacy-registry",
                        "registry.legacy.example.com/pay/old:1 matches deny rule \"legacy-registry\" (matchRegistries [registry.legacy.example.com]), recorded only (enforcement: Audit)"),
                ref("spec.containers[1].image", "proxy", "registry.legacy.example.com/pay/proxy:1", pay, 31, 12, Outcome.AUDIT,
                        "legacy-registry",
                        "registry.legacy.example.com/pay/proxy:1 matches deny rule \"legacy-registry\" (matchRegistries [registry.legacy.example.com]), recorded only (enforcement: Audit)"),
                ref("spec.containers[2].image", "metrics", "quay.io/org/agent:2", pay, 33, 12, Outcome.FAIL, null,
                        "no allow rule for pods matched \"quay.io/org/agent:2\" (allow rule \"trusted-registries\" (matchRegistries [docker.io, *.corp.example.com, registry.access.redhat.com])); use an image one of these rules allows, or ask the policy owners for a rule that allows this one")));
        events.add(object("deploy/system.yaml", 1, "v1", "Pod", "kube-system", "proxy",
                ref("spec.containers[0].image", "kube-proxy", "registry.k8s.io/kube-proxy:v1.29.0", "deploy/system.yaml", 9, 12,
                        Outcome.SKIP, null, "namespace kube-system is exempt (exemptNamespaces)")));
        events.add(object("deploy/standalone.yaml", 1, "v1", "Pod", null, "standalone",
                ref("spec.containers[0].image", "app", "quay.io/org/agent:2", "deploy/standalone.yaml", 7, 12, Outcome.FAIL, null,
                        "no allow rule for pods matched \"quay.io/org/agent:2\" (allow rule \"trusted-registries\" (matchRegistries [docker.io, *.corp.example.com, registry.access.redhat.com])); use an image one of these rules allows, or ask the policy owners for a rule that allows this one")));
        RunInfo info = new RunInfo("audit", "policies/", null, RULES, STARTED, "image-policy-webhook 0.1.0");
        Summary summary = new Summary(4, 1, 8, 1, 2, 0, counts(1, 5, 1, 2, 1, 1), 3, 1234);
        return new Run(info, events, summary);
    }

    /** A policy diff: one reference newly denied, one newly allowed, one whose reason changed, one unchanged. */
    public static Run diffNewlyDeniedAllowedAndChanged() {
        String shop = "deploy/shop.yaml";
        String pay = "deploy/payments.yaml";
        List<RuleInfo> rules = new ArrayList<>(RULES);
        rules.add(new RuleInfo("quay-org", "allow", "Deny", "allows images under quay.io/org/**",
                "use an image under quay.io/org/, or ask the policy owners for a rule that allows yours"));
        rules.add(new RuleInfo("legacy-registry-warn", "deny", "Warn", "warns about images from registry.legacy.example.com",
                "rebuild the image in registry.corp.example.com before 2027"));
        ReferenceResult nginxBefore = ref("spec.template.spec.containers[0].image", "web", "docker.io/library/nginx:1.27", shop, 17, 16,
                Outcome.PASS, "trusted-registries", "docker.io/library/nginx:1.27 is allowed by rule \"trusted-registries\"");
        ReferenceResult agentBefore = ref("spec.template.spec.containers[1].image", "agent", "quay.io/org/agent:2", shop, 20, 16,
                Outcome.FAIL, null, "no allow rule for deployments matched \"quay.io/org/agent:2\"");
        ReferenceResult legacyBefore = ref("spec.containers[0].image", "app", "registry.legacy.example.com/pay/old:1", pay, 29, 12,
                Outcome.AUDIT, "legacy-registry", "registry.legacy.example.com/pay/old:1 matches deny rule \"legacy-registry\", recorded only (enforcement: Audit)");
        ReferenceResult debugBefore = ref("spec.containers[0].image", "shell", "busybox", shop, 33, 12, Outcome.FAIL, null,
                "no allow rule for pods matched \"busybox\": it names no registry; write docker.io/library/busybox");
        List<Object> events = new ArrayList<>();
        events.add(new ObjectResult(new Location(shop, 1, 0), new ObjectRef("apps/v1", "Deployment", "shop", "web", null), "CREATE",
                List.of(new ReferenceResult(nginxBefore.fieldPath(), "web", nginxBefore.image(), nginxBefore.location(), Outcome.FAIL, null,
                                "no allow rule for deployments matched \"docker.io/library/nginx:1.27\" (allow rule \"quay-org\" (matchRepositories [quay.io/org/**])); use an image one of these rules allows, or ask the policy owners for a rule that allows this one",
                                Change.NEWLY_DENIED, nginxBefore),
                        new ReferenceResult(agentBefore.fieldPath(), "agent", agentBefore.image(), agentBefore.location(), Outcome.PASS, "quay-org",
                                "quay.io/org/agent:2 is allowed by rule \"quay-org\"", Change.NEWLY_ALLOWED, agentBefore)),
                null));
        events.add(new ObjectResult(new Location(shop, 26, 0), new ObjectRef("v1", "Pod", "shop", "debug", null), "CREATE",
                List.of(new ReferenceResult(debugBefore.fieldPath(), "shell", "busybox", debugBefore.location(), Outcome.FAIL, null,
                        debugBefore.message(), Change.UNCHANGED, debugBefore)), null));
        events.add(new ObjectResult(new Location(pay, 22, 0), new ObjectRef("v1", "Pod", "payments", "legacy", null), "CREATE",
                List.of(new ReferenceResult(legacyBefore.fieldPath(), "app", legacyBefore.image(), legacyBefore.location(), Outcome.WARN,
                        "legacy-registry-warn", "registry.legacy.example.com/pay/old:1 matches deny rule \"legacy-registry-warn\", enforced as a warning; rebuild the image in registry.corp.example.com before 2027",
                        Change.REASON_CHANGED, legacyBefore)), null));
        RunInfo info = new RunInfo("diff", "policies-new/", "policies/", rules, STARTED, "image-policy-webhook 0.1.0");
        Summary summary = new Summary(2, 0, 3, 0, 0, 0, counts(1, 2, 1, 0, 0, 0), 0, 87);
        return new Run(info, events, summary);
    }

    public static Map<Outcome, Integer> counts(int pass, int fail, int warn, int audit, int error, int skip) {
        Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
        m.put(Outcome.PASS, pass);
        m.put(Outcome.FAIL, fail);
        m.put(Outcome.WARN, warn);
        m.put(Outcome.AUDIT, audit);
        m.put(Outcome.ERROR, error);
        m.put(Outcome.SKIP, skip);
        return m;
    }
}
