package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;

/**
 * The JSONPatch that pins resolved images to {@code registry/repository@sha256:...}. Pods and templates
 * get their {@code image} replaced; a build's whole {@code from} becomes a {@code DockerImage} reference,
 * as upstream rewrites it. A registry's answer pins the name as written; the image API's answer pins the
 * pull spec it resolved to (an image stream's repository, per its tag's referencePolicy). Nothing is
 * patched in a request that is denied.
 */
final class Pinning {
    private static final JsonFactory JSON = new JsonFactory();

    private Pinning() {
    }

    /** The patch, or {@code null} when nothing changes. */
    static byte[] patch(PreparedRequest prepared, ImageFacts facts, Decision decision) {
        if (!decision.allowed() || prepared.answered() != null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        int ops = 0;
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (PlannedReference p : prepared.references) {
                if (!p.pin()) {
                    continue;
                }
                Resolution r = facts.lookup(p.field(), p.reference());
                if (!(r instanceof Resolution.Resolved ok) || !prepared.rules.rewrites(ok.localRewrite(), prepared.input.isUpdate())) {
                    continue;
                }
                String pinned = ok.pullSpec() != null ? ok.pullSpec()
                        : p.reference() != null && ok.metadata() != null ? pinned(p.reference(), ok.metadata().digest()) : null;
                if (pinned == null || (pinned.equals(p.field().name()) && p.field().isDockerImage())) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("op", "replace");
                String path = p.field().path();
                if (path.endsWith(".from.name")) {
                    g.writeStringField("path", pointer(path.substring(0, path.length() - ".name".length())));
                    g.writeObjectFieldStart("value");
                    g.writeStringField("kind", ImageField.DOCKER_IMAGE);
                    g.writeStringField("name", pinned);
                    g.writeEndObject();
                } else {
                    g.writeStringField("path", pointer(path));
                    g.writeStringField("value", pinned);
                }
                g.writeEndObject();
                ops++;
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ops == 0 ? null : out.toByteArray();
    }

    /** Upstream's Exact() with the digest: the name as written, the tag dropped. */
    static String pinned(ImageReference ref, String digest) {
        return (ref.registry().isEmpty() ? "" : ref.registry() + "/") + ref.path() + "@" + digest;
    }

    /** {@code spec.containers[0].image} to {@code /spec/containers/0/image}. */
    static String pointer(String fieldPath) {
        StringBuilder sb = new StringBuilder(fieldPath.length() + 8);
        for (String part : fieldPath.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            sb.append('/').append(name.replace("~", "~0").replace("/", "~1"));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                sb.append('/').append(part, bracket + 1, close);
                bracket = part.indexOf('[', close);
            }
        }
        return sb.toString();
    }
}
