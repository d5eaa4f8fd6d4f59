package org.imagepolicy.webhook.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.Resources;

/**
 * Turns what a policy author writes (an object, an AdmissionReview, or just an image and a resource) into
 * the AdmissionReview the API server would send, decoded by the webhook's own codec.
 */
public final class AdmissionRequests {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AdmissionRequests() {
    }

    /** An AdmissionReview is judged as its operation says; any other object as a CREATE of that object. */
    public static AdmissionInput input(JsonNode document, String namespace) throws BadReviewException {
        if ("AdmissionReview".equals(document.path("kind").asText())) {
            return AdmissionReviewCodec.decode(document);
        }
        return AdmissionReviewCodec.decode(create(document, resourceOf(document), namespace));
    }

    /**
     * The resource an object is created through: the lower-case plural of its kind, in its apiVersion's
     * group (3.x's legacy group read as the real one).
     *
     * @throws BadReviewException when the object has no kind or is of a kind the webhook does not judge
     */
    public static GroupResource resourceOf(JsonNode object) throws BadReviewException {
        String kind = object.path("kind").asText("");
        if (kind.isEmpty()) {
            throw new BadReviewException("the object has no kind; write kind: Pod (or Deployment, Build, ...) and its apiVersion");
        }
        String apiVersion = object.path("apiVersion").asText("");
        String group = apiVersion.indexOf('/') < 0 ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        GroupResource gr = Resources.normalize(GroupResource.of(group, kind.toLowerCase(Locale.ROOT) + "s"));
        if (!Resources.carriesImages(gr) && !Resources.IMPORTING.contains(gr)) {
            throw new BadReviewException("kind " + kind + " (apiVersion \"" + apiVersion + "\") is not a resource the webhook judges; supported: "
                    + Resources.supportedList());
        }
        return gr;
    }

    /** {@code pods}, {@code deployments} or {@code deployments.apps}, as kubectl names resources. */
    public static GroupResource parseResource(String text) {
        int dot = text.indexOf('.');
        String resource = (dot < 0 ? text : text.substring(0, dot)).toLowerCase(Locale.ROOT);
        if (dot >= 0) {
            GroupResource gr = Resources.normalize(GroupResource.of(text.substring(dot + 1), resource));
            if (Resources.carriesImages(gr) || Resources.IMPORTING.contains(gr)) {
                return gr;
            }
        } else {
            List<GroupResource> candidates = new ArrayList<>();
            List<GroupResource> all = new ArrayList<>(Resources.IMAGE_BEARING);
            all.addAll(Resources.IMPORTING);
            for (GroupResource gr : all) {
                if (gr.resource().equals(resource)) {
                    candidates.add(gr);
                }
            }
            // deployments, replicasets and daemonsets are also served by the old extensions group; kubectl means apps.
            candidates.sort((a, b) -> Boolean.compare(a.group().equals("extensions"), b.group().equals("extensions")));
            if (!candidates.isEmpty()) {
                return candidates.get(0);
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a resource the webhook judges; use one of " + Resources.supportedList());
    }

    /** The smallest object of that resource whose one image is {@code image}, where the webhook reads it. */
    public static ObjectNode objectWithImage(GroupResource gr, String image, String name, String namespace) {
        ObjectNode object = NODES.objectNode();
        object.put("apiVersion", gr.group().isEmpty() ? "v1" : gr.group() + "/v1");
        object.put("kind", kindOf(gr));
        ObjectNode meta = object.putObject("metadata");
        meta.put("name", name);
        if (namespace != null && !namespace.isEmpty()) {
            meta.put("namespace", namespace);
        }
        ObjectNode spec;
        switch (gr.resource()) {
            case "pods":
                spec = object.putObject("spec");
                break;
            case "podtemplates":
                spec = object.putObject("template").putObject("spec");
                break;
            case "cronjobs":
                spec = object.putObject("spec").putObject("jobTemplate").putObject("spec").putObject("template").putObject("spec");
                break;
            case "imagestreams":
                ObjectNode tag = object.putObject("spec").putArray("tags").addObject();
                tag.put("name", "latest");
                tag.putObject("from").put("kind", "DockerImage").put("name", image);
                return object;
            case "imagestreamimports":
                object.putObject("spec").put("import", true).putArray("images").addObject()
                        .putObject("from").put("kind", "DockerImage").put("name", image);
                return object;
            case "imagestreamtags":
            case "imagetags":
                // Both are named STREAM:TAG; the tag reference is "tag" on an ImageStreamTag, "spec" on an ImageTag.
                meta.put("name", name.indexOf(':') < 0 ? name + ":latest" : name);
                object.putObject(gr.resource().equals("imagetags") ? "spec" : "tag")
                        .putObject("from").put("kind", "DockerImage").put("name", image);
                return object;
            case "builds":
            case "buildconfigs":
                ObjectNode from = object.putObject("spec").putObject("strategy").put("type", "Docker").putObject("dockerStrategy")
                        .putObject("from");
                from.put("kind", "DockerImage").put("name", image);
                return object;
            default:
                spec = object.putObject("spec").putObject("template").putObject("spec");
                break;
        }
        spec.putArray("containers").addObject().put("name", "main").put("image", image);
        return object;
    }

    private static String kindOf(GroupResource gr) {
        String singular = gr.resource().substring(0, gr.resource().length() - 1);
        for (String kind : List.of("Pod", "PodTemplate", "ReplicationController", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
                "Job", "CronJob", "DeploymentConfig", "Build", "BuildConfig", "ImageStream", "ImageStreamImport", "ImageStreamTag", "ImageTag")) {
            if (kind.toLowerCase(Locale.ROOT).equals(singular)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no kind for " + gr);
    }

    /** The AdmissionReview the API server sends when the object is created in {@code namespace}. */
    static ObjectNode create(JsonNode object, GroupResource gr, String namespace) {
        String ns = namespace != null && !namespace.isEmpty() ? namespace : object.path("metadata").path("namespace").asText("default");
        String apiVersion = object.path("apiVersion").asText("");
        ObjectNode review = NODES.objectNode();
        review.put("apiVersion", AdmissionReviewCodec.V1).put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "00000000-0000-0000-0000-000000000000");
        request.putObject("kind").put("group", gr.group()).put("version", apiVersion.substring(apiVersion.indexOf('/') + 1))
                .put("kind", object.path("kind").asText());
        request.putObject("resource").put("group", gr.group()).put("version", apiVersion.substring(apiVersion.indexOf('/') + 1))
                .put("resource", gr.resource());
        request.put("operation", "CREATE");
        request.put("namespace", ns);
        request.put("name", object.path("metadata").path("name").asText(""));
        request.set("object", object);
        return review;
    }
}
