package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.policy.GroupResource;

/**
 * Finds the image references of an object, by resource, with upstream's UPDATE rule: a reference that
 * the old object already had unchanged is not visited again (unless the resolve-names annotation was
 * toggled, which changes what every name means).
 */
final class ReferenceExtractor {
    static final String RESOLVE_NAMES = "alpha.image.policy.openshift.io/resolve-names";

    private ReferenceExtractor() {
    }

    /** The references to judge, or {@code null} when the resource has no known images. */
    static List<ImageField> extract(GroupResource gr, JsonNode object, JsonNode oldObject, boolean update)
            throws MalformedObjectException {
        JsonNode old = update ? oldObject : null;
        List<ImageField> out = new ArrayList<>(4);
        switch (gr.resource()) {
            case "pods":
                if (!gr.group().isEmpty()) {
                    return null;
                }
                boolean toggled = update && resolveAll(object, null) != resolveAll(old, null);
                podSpec(object.path("spec"), "spec", old == null ? null : old.path("spec"), toggled, Set.of(), out);
                return out;
            case "podtemplates":
                return gr.group().isEmpty() ? template(object, old, "template", Set.of(), out) : null;
            case "replicationcontrollers":
            case "deployments":
            case "replicasets":
            case "statefulsets":
            case "daemonsets":
            case "jobs":
                return template(object, old, "spec.template", Set.of(), out);
            case "deploymentconfigs":
                return template(object, old, "spec.template", triggeredContainers(object), out);
            case "cronjobs":
                return template(object, old, "spec.jobTemplate.spec.template", Set.of(), out);
            case "builds":
            case "buildconfigs":
                BuildReferences.extract(object, old, update && resolveAll(object, null) != resolveAll(old, null), out);
                return out;
            default:
                return null;
        }
    }

    /** The new ephemeral containers of a {@code pods/ephemeralcontainers} update: what {@code kubectl debug} adds. */
    static List<ImageField> ephemeral(JsonNode object, JsonNode oldObject) throws MalformedObjectException {
        List<ImageField> out = new ArrayList<>(1);
        Map<String, String> before = new HashMap<>();
        JsonNode oldSpec = oldObject == null ? null : oldObject.path("spec");
        if (oldSpec != null) {
            collectImages(oldSpec, "ephemeralContainers", before);
        }
        containers(object.path("spec"), "spec", "ephemeralContainers", before, Set.of(), out);
        return out;
    }

    private static List<ImageField> template(JsonNode object, JsonNode old, String templatePath, Set<String> triggered,
            List<ImageField> out) throws MalformedObjectException {
        JsonNode template = at(object, templatePath);
        JsonNode oldTemplate = old == null ? null : at(old, templatePath);
        boolean toggled = old != null && resolveAll(object, template) != resolveAll(old, oldTemplate);
        podSpec(template.path("spec"), templatePath + ".spec", oldTemplate == null ? null : oldTemplate.path("spec"), toggled,
                triggered, out);
        return out;
    }

    private static void podSpec(JsonNode spec, String path, JsonNode oldSpec, boolean revisitAll, Set<String> triggered,
            List<ImageField> out) throws MalformedObjectException {
        if (spec.isMissingNode() || spec.isNull()) {
            return;
        }
        if (!spec.isObject()) {
            throw new MalformedObjectException(path + " must be an object");
        }
        Map<String, String> before = null;
        if (oldSpec != null && oldSpec.isObject() && !revisitAll) {
            // Upstream looks a container up by name in the old init containers first, then the others.
            before = new HashMap<>();
            collectImages(oldSpec, "initContainers", before);
            collectImages(oldSpec, "containers", before);
            collectImages(oldSpec, "ephemeralContainers", before);
        }
        containers(spec, path, "initContainers", before, triggered, out);
        containers(spec, path, "containers", before, triggered, out);
        containers(spec, path, "ephemeralContainers", before, triggered, out);
    }

    private static void containers(JsonNode spec, String path, String field, Map<String, String> before,
            Set<String> triggered, List<ImageField> out) throws MalformedObjectException {
        JsonNode list = spec.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw new MalformedObjectException(path + "." + field + " must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            if (!c.isObject()) {
                throw new MalformedObjectException(path + "." + field + "[" + i + "] must be an object");
            }
            JsonNode imageNode = c.path("image");
            if (!imageNode.isMissingNode() && !imageNode.isNull() && !imageNode.isTextual()) {
                throw new MalformedObjectException(path + "." + field + "[" + i + "].image must be a string");
            }
            String image = imageNode.isTextual() ? imageNode.textValue() : "";
            String name = c.path("name").asText("");
            if (before != null && image.equals(before.get(name))) {
                continue;
            }
            // A DeploymentConfig leaves the image blank for its ImageChange trigger to fill in; the
            // replication controller it then creates carries the real image and is checked.
            if (image.isBlank() && triggered.contains(name)) {
                continue;
            }
            out.add(ImageField.dockerImage(path + "." + field + "[" + i + "].image", image));
        }
    }

    private static void collectImages(JsonNode spec, String field, Map<String, String> into) {
        JsonNode list = spec.path(field);
        if (!list.isArray()) {
            return;
        }
        for (JsonNode c : list) {
            JsonNode name = c.path("name");
            JsonNode image = c.path("image");
            if (name.isTextual() && image.isTextual()) {
                into.putIfAbsent(name.textValue(), image.textValue());
            }
        }
    }

    private static Set<String> triggeredContainers(JsonNode object) {
        JsonNode triggers = object.path("spec").path("triggers");
        if (!triggers.isArray()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (JsonNode t : triggers) {
            if ("ImageChange".equals(t.path("type").asText())) {
                for (JsonNode n : t.path("imageChangeParams").path("containerNames")) {
                    names.add(n.asText());
                }
            }
        }
        return names;
    }

    /** Upstream's resolveAll for the request's object: its own resolve-names annotation, or its pod template's. */
    static boolean resolveNames(GroupResource gr, JsonNode object) {
        String templatePath = switch (gr.resource()) {
            case "podtemplates" -> "template";
            case "replicationcontrollers", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "deploymentconfigs" -> "spec.template";
            case "cronjobs" -> "spec.jobTemplate.spec.template";
            default -> null;
        };
        return resolveAll(object, templatePath == null ? null : at(object, templatePath));
    }

    static boolean resolveAll(JsonNode object, JsonNode template) {
        if (object == null) {
            return false;
        }
        if ("*".equals(object.path("metadata").path("annotations").path(RESOLVE_NAMES).asText(null))) {
            return true;
        }
        return template != null && "*".equals(template.path("metadata").path("annotations").path(RESOLVE_NAMES).asText(null));
    }

    static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode n = node;
        int start = 0;
        for (int i = 0; i <= dottedPath.length(); i++) {
            if (i == dottedPath.length() || dottedPath.charAt(i) == '.') {
                n = n.path(dottedPath.substring(start, i));
                start = i + 1;
            }
        }
        return n;
    }
}
