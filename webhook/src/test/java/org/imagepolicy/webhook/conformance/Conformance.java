package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImageField;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;

/**
 * Shared fixtures for the conformance suite: policies from text, AdmissionReview requests built as JSON
 * and decoded by the real codec, and {@link ImageFacts} stubs that stand in for image resolution.
 */
final class Conformance {
    static final ObjectMapper JSON = new ObjectMapper();

    /** §4 shared fixtures: two sha256 digests and the integrated registry host. */
    static final String GOOD_SHA = "sha256:" + "0".repeat(63) + "2";
    static final String BAD_SHA = "sha256:" + "0".repeat(63) + "3";
    static final String IMAGE1_SHA = "sha256:" + "0".repeat(63) + "1";
    static final String INTEGRATED = "integrated.registry";
    static final String DENY_EXECUTION = "images.openshift.io/deny-execution";

    /** Image {@code good}: no annotations. Image {@code bad}: annotated deny-execution=true. */
    static final ImageMetadata GOOD = new ImageMetadata(GOOD_SHA, Map.of(), Map.of());
    static final ImageMetadata BAD = new ImageMetadata(BAD_SHA, Map.of(), Map.of(DENY_EXECUTION, "true"));

    private Conformance() {
    }

    // ---------------------------------------------------------------- policies

    static ImagePolicy policy(String text) {
        return parsed(text).policy();
    }

    static PolicyParser.Parsed parsed(String text) {
        try {
            return new PolicyParser(false).parse("policy.yaml", text);
        } catch (PolicyException e) {
            return fail("the policy should load, but: " + e.problems().stream().map(PolicyProblem::format)
                    .collect(Collectors.joining("\n")));
        }
    }

    /** The errors of a policy that must not load. */
    static List<PolicyProblem> errors(String text) {
        return errors(false, text);
    }

    static List<PolicyProblem> errors(boolean strict, String text) {
        try {
            new PolicyParser(strict).parse("policy.yaml", text);
        } catch (PolicyException e) {
            List<PolicyProblem> errors = e.problems().stream().filter(PolicyProblem::isError).toList();
            assertThat(errors).as("a rejected policy reports at least one error").isNotEmpty();
            return errors;
        }
        return fail("the policy should have been rejected:\n" + text);
    }

    static String errorText(String text) {
        return errors(text).stream().map(PolicyProblem::format).collect(Collectors.joining("\n"));
    }

    static ImagePolicyEngine engine(String policyText) {
        return new ImagePolicyEngine(policy(policyText));
    }

    static String resource(String name) {
        try (InputStream in = Conformance.class.getResourceAsStream("/conformance/" + name)) {
            assertThat(in).as("test resource conformance/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- objects

    static ObjectNode container(String name, String image) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", name);
        c.put("image", image);
        return c;
    }

    /** A pod spec whose containers are named c0, c1, ... and init containers i0, i1, ... */
    static ObjectNode podSpec(List<String> init, List<String> containers) {
        ObjectNode spec = JSON.createObjectNode();
        if (!init.isEmpty()) {
            ArrayNode list = spec.putArray("initContainers");
            for (int i = 0; i < init.size(); i++) {
                list.add(container("i" + i, init.get(i)));
            }
        }
        ArrayNode list = spec.putArray("containers");
        for (int i = 0; i < containers.size(); i++) {
            list.add(container("c" + i, containers.get(i)));
        }
        return spec;
    }

    static ObjectNode object(String apiVersion, String kind, String name) {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", "default");
        return o;
    }

    static ObjectNode pod(String... images) {
        return podWith(List.of(), List.of(images));
    }

    static ObjectNode podWith(List<String> init, List<String> containers) {
        ObjectNode pod = object("v1", "Pod", "test");
        pod.set("spec", podSpec(init, containers));
        return pod;
    }

    static ObjectNode template(ObjectNode spec) {
        ObjectNode t = JSON.createObjectNode();
        t.putObject("metadata").putObject("labels").put("app", "test");
        t.set("spec", spec);
        return t;
    }

    /** A workload whose pod template is at {@code spec.template}. */
    static ObjectNode workload(String apiVersion, String kind, String... images) {
        ObjectNode o = object(apiVersion, kind, "test");
        o.putObject("spec").set("template", template(podSpec(List.of(), List.of(images))));
        return o;
    }

    static ObjectNode cronJob(String... images) {
        ObjectNode o = object("batch/v1", "CronJob", "test");
        ObjectNode spec = o.putObject("spec");
        spec.put("schedule", "* * * * *");
        spec.putObject("jobTemplate").putObject("spec").set("template", template(podSpec(List.of(), List.of(images))));
        return o;
    }

    static ObjectNode podTemplate(String... images) {
        ObjectNode o = object("v1", "PodTemplate", "test");
        o.set("template", template(podSpec(List.of(), List.of(images))));
        return o;
    }

    static ObjectNode ref(String kind, String name) {
        ObjectNode r = JSON.createObjectNode();
        r.put("kind", kind);
        r.put("name", name);
        return r;
    }

    static ObjectNode dockerRef(String image) {
        return ref("DockerImage", image);
    }

    /** A Build (or BuildConfig) with the given source images and one strategy's {@code from}. */
    static ObjectNode build(String kind, List<ObjectNode> sourceImages, String strategy, ObjectNode from) {
        ObjectNode o = object("build.openshift.io/v1", kind, "test");
        ObjectNode spec = o.putObject("spec");
        if (!sourceImages.isEmpty()) {
            ArrayNode images = spec.putObject("source").putArray("images");
            for (ObjectNode from0 : sourceImages) {
                ObjectNode image = images.addObject();
                image.set("from", from0);
                image.putArray("paths").addObject().put("sourcePath", "/src").put("destinationDir", "dst");
            }
        }
        if (strategy != null) {
            ObjectNode s = spec.putObject("strategy");
            s.put("type", strategy.substring(0, 1).toUpperCase() + strategy.substring(1).replace("Strategy", ""));
            ObjectNode st = s.putObject(strategy);
            if (from != null) {
                st.set("from", from);
            }
        }
        spec.putObject("output").set("to", ref("ImageStreamTag", "output:latest"));
        return o;
    }

    static ObjectNode annotate(ObjectNode object, String key, String value) {
        ObjectNode meta = (ObjectNode) object.get("metadata");
        ObjectNode annotations = meta.has("annotations") ? (ObjectNode) meta.get("annotations") : meta.putObject("annotations");
        annotations.put(key, value);
        return object;
    }

    static ObjectNode ownedByController(ObjectNode object) {
        ObjectNode owner = ((ObjectNode) object.path("metadata")).putArray("ownerReferences").addObject();
        owner.put("apiVersion", "apps/v1");
        owner.put("kind", "ReplicaSet");
        owner.put("name", "does-not-exist");
        owner.put("uid", "00000000-0000-0000-0000-000000000000");
        owner.put("controller", true);
        return object;
    }

    // ---------------------------------------------------------------- requests

    /** Builds an AdmissionReview as the API server sends it and decodes it with the real codec. */
    static AdmissionInput review(String operation, String group, String version, String resource, String subResource,
            String namespace, JsonNode object, JsonNode oldObject) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "705ab4f5-6393-11e8-b7cc-42010a800002");
        ObjectNode kind = request.putObject("kind");
        kind.put("group", group);
        kind.put("version", version);
        kind.put("kind", object == null ? "" : object.path("kind").asText(""));
        ObjectNode res = request.putObject("resource");
        res.put("group", group);
        res.put("version", version);
        res.put("resource", resource);
        if (subResource != null) {
            request.put("subResource", subResource);
        }
        request.put("namespace", namespace);
        request.put("name", object == null ? "test" : object.path("metadata").path("name").asText("test"));
        request.put("operation", operation);
        request.set("object", object);
        request.set("oldObject", oldObject);
        try {
            return AdmissionReviewCodec.decode(JSON.writeValueAsBytes(review));
        } catch (BadReviewException | IOException e) {
            return fail("the test review should decode: " + e.getMessage());
        }
    }

    static AdmissionInput create(String group, String resource, JsonNode object) {
        return review("CREATE", group, "v1", resource, null, "default", object, null);
    }

    static AdmissionInput update(String group, String resource, JsonNode object, JsonNode oldObject) {
        return review("UPDATE", group, "v1", resource, null, "default", object, oldObject);
    }

    static AdmissionInput createPod(String... images) {
        return create("", "pods", pod(images));
    }

    // ---------------------------------------------------------------- image facts

    /**
     * Facts that resolve the listed image strings (or image stream names) and fail everything else with
     * {@code failure}; it counts lookups so tests can tell whether resolution was attempted.
     */
    static final class StubFacts implements ImageFacts {
        private final Map<String, Resolution> known = new HashMap<>();
        private final String failure;
        final AtomicInteger lookups = new AtomicInteger();
        final List<String> looked = new ArrayList<>();

        StubFacts(String failure) {
            this.failure = failure;
        }

        StubFacts resolve(String image, ImageMetadata metadata) {
            known.put(image, new Resolution.Resolved(metadata, false));
            return this;
        }

        StubFacts resolveIntegrated(String image, ImageMetadata metadata) {
            known.put(image, new Resolution.Resolved(metadata, true));
            return this;
        }

        @Override
        public Resolution lookup(ImageField field, ImageReference reference) {
            lookups.incrementAndGet();
            looked.add(field.name());
            Resolution r = known.get(field.name());
            return r != null ? r : new Resolution.Failed(failure.replace("{}", field.name()));
        }
    }

    static StubFacts facts() {
        return new StubFacts("({}) could not be resolved to an exact image reference");
    }

    /** Every lookup succeeds with the given metadata. */
    static ImageFacts always(ImageMetadata metadata) {
        return (field, reference) -> new Resolution.Resolved(metadata, false);
    }

    static ImageMetadata labels(Map<String, String> labels) {
        return new ImageMetadata(IMAGE1_SHA, labels, Map.of());
    }

    static ImageMetadata annotations(Map<String, String> annotations) {
        return new ImageMetadata(IMAGE1_SHA, Map.of(), annotations);
    }

    // ---------------------------------------------------------------- decisions

    static Decision decide(ImagePolicyEngine engine, AdmissionInput in, ImageFacts facts) {
        return engine.decide(in, facts);
    }

    static Decision decide(ImagePolicyEngine engine, AdmissionInput in, Set<String> excluded, ImageFacts facts) {
        return engine.decide(in, excluded, facts);
    }

    static List<String> paths(Decision d) {
        return d.violations().stream().map(v -> v.field().path()).toList();
    }

    static List<String> visitedImages(Decision d) {
        return d.violations().stream().map(v -> v.field().name()).toList();
    }

    static void assertAllowed(Decision d) {
        assertThat(d.allowed()).as("allowed; message: %s; violations: %s", d.message(), d.violations()).isTrue();
        assertThat(d.violations()).as("violations").isEmpty();
    }

    static void assertDenied(Decision d, String... paths) {
        assertThat(d.allowed()).as("denied; violations: %s", d.violations()).isFalse();
        assertThat(d.code()).as("status code of a policy denial").isEqualTo(403);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENIED);
        if (paths.length > 0) {
            assertThat(paths(d)).as("rejected fields").containsExactly(paths);
        }
    }

    static Violation only(Decision d) {
        assertThat(d.violations()).hasSize(1);
        return d.violations().get(0);
    }

    static JsonNode encoded(Decision d) {
        try {
            return JSON.readTree(AdmissionReviewCodec.encode("admission.k8s.io/v1", "uid-1", d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
