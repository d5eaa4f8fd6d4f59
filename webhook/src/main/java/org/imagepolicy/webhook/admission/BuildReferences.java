package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The image references of a Build or BuildConfig: {@code spec.source.images[].from} and the custom,
 * docker and source strategies' {@code from}, in upstream's order. {@code spec.output.to} is where the
 * build pushes, not what it runs, and upstream does not check it either.
 */
final class BuildReferences {
    private static final String[] STRATEGIES = {"customStrategy", "dockerStrategy", "sourceStrategy"};

    private BuildReferences() {
    }

    static void extract(JsonNode object, JsonNode old, boolean revisitAll, List<ImageField> out) throws MalformedObjectException {
        JsonNode spec = object.path("spec");
        JsonNode oldSpec = old == null || revisitAll ? null : old.path("spec");
        JsonNode images = spec.path("source").path("images");
        if (!images.isMissingNode() && !images.isNull() && !images.isArray()) {
            throw new MalformedObjectException("spec.source.images must be a list");
        }
        for (int i = 0; i < images.size(); i++) {
            JsonNode from = images.get(i).path("from");
            if (from.isMissingNode() || from.isNull()) {
                continue;
            }
            // Upstream skips a source image if any old source image had the identical reference.
            if (oldSpec != null && anyEqual(oldSpec.path("source").path("images"), from)) {
                continue;
            }
            out.add(reference(from, "spec.source.images[" + i + "].from"));
        }
        JsonNode strategy = spec.path("strategy");
        for (String type : STRATEGIES) {
            JsonNode from = strategy.path(type).path("from");
            if (from.isMissingNode() || from.isNull()) {
                continue;
            }
            if (oldSpec != null && from.equals(oldSpec.path("strategy").path(type).path("from"))) {
                continue;
            }
            out.add(reference(from, "spec.strategy." + type + ".from"));
        }
    }

    private static boolean anyEqual(JsonNode oldImages, JsonNode from) {
        for (JsonNode image : oldImages) {
            if (from.equals(image.path("from"))) {
                return true;
            }
        }
        return false;
    }

    private static ImageField reference(JsonNode from, String path) throws MalformedObjectException {
        if (!from.isObject()) {
            throw new MalformedObjectException(path + " must be an object reference {kind, name}");
        }
        return new ImageField(path + ".name", from.path("kind").asText(""), from.path("name").asText(""),
                from.path("namespace").asText(""));
    }
}
