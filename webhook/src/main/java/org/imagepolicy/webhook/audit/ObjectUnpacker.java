package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.function.Consumer;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectRef;

/**
 * The objects one document holds: itself, the items of a {@code List} or typed list ({@code PodList}),
 * the processed objects of an OpenShift Template, or the object of an AdmissionReview or a bare
 * AdmissionRequest (judged as its operation says). Manifests become CREATE requests.
 */
final class ObjectUnpacker {
    private static final int MAX_NESTING = 8;

    private final Consumer<AuditObject> objects;
    private final Consumer<InputProblem> problems;

    ObjectUnpacker(Consumer<AuditObject> objects, Consumer<InputProblem> problems) {
        this.objects = objects;
        this.problems = problems;
    }

    void unpack(SourceDocument document) {
        unpack(document.node(), document.positions(), Set.of(), 0);
    }

    private void unpack(JsonNode node, Positions positions, Set<String> unresolved, int depth) {
        Location where = positions.of(node);
        if (!node.isObject()) {
            problems.accept(new InputProblem(where, "the document is a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a Kubernetes object"));
            return;
        }
        if (depth > MAX_NESTING) {
            problems.accept(new InputProblem(where, "lists nested more than " + MAX_NESTING + " deep"));
            return;
        }
        String kind = node.path("kind").isTextual() ? node.path("kind").textValue() : "";
        if (kind.equals("AdmissionReview")) {
            review(node, node, positions, where);
        } else if (isBareRequest(node)) {
            ObjectNode review = JsonNodeFactory.instance.objectNode();
            review.put("apiVersion", AdmissionReviewCodec.V1).put("kind", "AdmissionReview").set("request", node);
            review(review, node, positions, where);
        } else if (kind.endsWith("List") && node.path("items").isArray()) {
            for (JsonNode item : node.path("items")) {
                unpack(item, positions, unresolved, depth + 1);
            }
        } else if (TemplateProcessor.isTemplate(node)) {
            for (TemplateProcessor.Processed p : TemplateProcessor.process(node, positions)) {
                unpack(p.object(), positions, p.unresolved(), depth + 1);
            }
        } else {
            manifest(node, kind, positions, unresolved, where);
        }
    }

    private void manifest(JsonNode node, String kind, Positions positions, Set<String> unresolved, Location where) {
        objects.accept(manifest(node, kind, positions, unresolved, where, "audit"));
    }

    /** A manifest as the CREATE request the webhook would judge; its input is {@code null} for a kind the webhook does not judge. */
    static AuditObject manifest(JsonNode node, String kind, Positions positions, Set<String> unresolved, Location where, String uid) {
        String apiVersion = node.path("apiVersion").asText("");
        JsonNode meta = node.path("metadata");
        String namespace = meta.path("namespace").isTextual() ? meta.path("namespace").textValue() : null;
        String name = meta.path("name").isTextual() ? meta.path("name").textValue() : meta.path("generateName").asText(null);
        ObjectRef ref = new ObjectRef(apiVersion, kind, namespace, name, meta.path("uid").asText(null));
        GroupResource gr = KindResources.of(apiVersion, kind);
        AdmissionInput input = gr == null ? null
                : new AdmissionInput(AdmissionReviewCodec.V1, uid, "CREATE", gr, "", kind, namespace == null ? "" : namespace,
                        name == null ? "" : name, false, node, null);
        return new AuditObject(where, ref, input, positions, unresolved);
    }

    /** A review without a uid is still judged: the uid only matters to the API server. */
    private void review(JsonNode review, JsonNode request, Positions positions, Location where) {
        JsonNode req = review.path("request");
        if (req.isObject() && !req.path("uid").isTextual()) {
            ((ObjectNode) req).put("uid", "audit");
        }
        AdmissionInput input;
        try {
            input = AdmissionReviewCodec.decode(review);
        } catch (BadReviewException e) {
            problems.accept(new InputProblem(where, "cannot judge this admission request: " + e.getMessage()));
            return;
        }
        JsonNode object = input.object();
        JsonNode meta = object.path("metadata");
        String namespace = !input.namespace().isEmpty() ? input.namespace() : meta.path("namespace").asText(null);
        String name = !input.name().isEmpty() ? input.name() : meta.path("name").asText(meta.path("generateName").asText(null));
        JsonNode kind = req.path("kind");
        String apiVersion = kind.path("group").asText("").isEmpty() ? kind.path("version").asText("")
                : kind.path("group").asText() + "/" + kind.path("version").asText("");
        ObjectRef ref = new ObjectRef(apiVersion, input.kind(), namespace, name, meta.path("uid").asText(null));
        Location at = object.isObject() ? positions.of(object) : where;
        objects.accept(new AuditObject(at.line() > 0 ? at : where, ref, input, positions, Set.of()));
    }

    /** kubewarden's fixtures: the request alone, with {@code kind} a group/version/kind object. */
    private static boolean isBareRequest(JsonNode node) {
        return node.has("operation") && node.has("resource") && (node.path("kind").isObject() || !node.has("apiVersion"));
    }
}
