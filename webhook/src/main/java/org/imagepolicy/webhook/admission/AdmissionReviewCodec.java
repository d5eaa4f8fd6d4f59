package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.Resources;

/**
 * Reads AdmissionReview requests ({@code admission.k8s.io/v1} and {@code v1beta1}) and writes the
 * response in the same version. Decoding builds one Jackson tree of the fields a decision reads; encoding
 * streams straight to bytes.
 */
public final class AdmissionReviewCodec {
    public static final String V1 = "admission.k8s.io/v1";
    public static final String V1BETA1 = "admission.k8s.io/v1beta1";

    /** Kubernetes objects nest a few dozen levels; anything far deeper is an attack on the parser. */
    private static final int MAX_NESTING = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    private static final FilteredTree TREE = new FilteredTree(MAPPER);

    private AdmissionReviewCodec() {
    }

    public static AdmissionInput decode(byte[] body) throws BadReviewException {
        return decode(body, 0, body.length);
    }

    /** The review in {@code body[offset, offset + length)}: the server parses the request's own buffer, without a copy. */
    public static AdmissionInput decode(byte[] body, int offset, int length) throws BadReviewException {
        JsonNode review;
        try (JsonParser parser = FACTORY.createParser(body, offset, length)) {
            review = TREE.readRoot(parser, DecisionFields.INSTANCE);
            // Whatever follows is looked at lazily, as before: the first kept token is enough to refuse.
            if (review != null && afterRoot(parser).nextToken() != null) {
                throw new BadReviewException("the body has more after the AdmissionReview");
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new BadReviewException("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadReviewException("the body could not be read: " + e.getMessage());
        }
        return decode(review);
    }

    private static JsonParser afterRoot(JsonParser parser) {
        return new FilteringParserDelegate(parser, DecisionFields.INSTANCE, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true);
    }

    public static AdmissionInput decode(JsonNode review) throws BadReviewException {
        if (review == null || !review.isObject()) {
            throw new BadReviewException("the body must be a JSON object: an AdmissionReview");
        }
        String apiVersion = review.path("apiVersion").asText("");
        String kind = review.path("kind").asText("");
        JsonNode request = review.path("request");
        if (apiVersion.isEmpty() && kind.isEmpty() && review.has("uid") && review.has("operation")) {
            throw new BadReviewException("this is a bare AdmissionRequest; wrap it as {\"apiVersion\": \"" + V1
                    + "\", \"kind\": \"AdmissionReview\", \"request\": {...}}");
        }
        if (!kind.equals("AdmissionReview")) {
            throw new BadReviewException("kind is \"" + kind + "\"; expected AdmissionReview");
        }
        if (!apiVersion.equals(V1) && !apiVersion.equals(V1BETA1)) {
            throw new BadReviewException("apiVersion \"" + apiVersion + "\" is not supported; use " + V1 + " or " + V1BETA1);
        }
        if (!request.isObject()) {
            throw new BadReviewException("the AdmissionReview has no request");
        }
        String uid = request.path("uid").asText("");
        if (uid.isEmpty()) {
            throw new BadReviewException("request.uid is missing; the API server always sends one, and the answer must echo it");
        }
        String operation = request.path("operation").asText("");
        if (operation.isEmpty()) {
            throw new BadReviewException("request.operation is missing");
        }
        // The resource the client addressed, as the in-process plug-in saw it; resource is what was converted for us.
        JsonNode resource = request.path("requestResource").isObject() ? request.path("requestResource") : request.path("resource");
        if (!resource.isObject() || resource.path("resource").asText("").isEmpty()) {
            throw new BadReviewException("request.resource is missing");
        }
        GroupResource gr = Resources.normalize(GroupResource.of(resource.path("group").asText(""), resource.path("resource").asText("")));
        String subResource = request.path("requestSubResource").isTextual() ? request.path("requestSubResource").textValue()
                : request.path("subResource").asText("");
        return new AdmissionInput(apiVersion, uid, operation, gr, subResource, request.path("kind").path("kind").asText(""),
                request.path("namespace").asText(""), request.path("name").asText(""), request.path("dryRun").asBoolean(false),
                request.path("object"), request.path("oldObject"));
    }

    public static byte[] encode(String apiVersion, String uid, Decision decision) {
        return encode(apiVersion, uid, decision, null);
    }

    /** @param patch a JSONPatch for {@code /mutate}, or {@code null} */
    public static byte[] encode(String apiVersion, String uid, Decision decision, byte[] patch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(decision.allowed() && decision.warnings().isEmpty() && patch == null ? 160 : 1024);
        encode(apiVersion, uid, decision, patch, out);
        return out.toByteArray();
    }

    public static void encode(String apiVersion, String uid, Decision decision, byte[] patch, OutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("apiVersion", apiVersion);
            g.writeStringField("kind", "AdmissionReview");
            g.writeObjectFieldStart("response");
            g.writeStringField("uid", uid);
            g.writeBooleanField("allowed", decision.allowed());
            if (!decision.allowed()) {
                writeStatus(g, decision);
            }
            if (patch != null) {
                g.writeStringField("patchType", "JSONPatch");
                g.writeStringField("patch", java.util.Base64.getEncoder().encodeToString(patch));
            }
            if (!decision.warnings().isEmpty()) {
                g.writeArrayFieldStart("warnings");
                for (String w : decision.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
            }
            if (!decision.auditAnnotations().isEmpty()) {
                g.writeObjectFieldStart("auditAnnotations");
                for (Map.Entry<String, String> e : decision.auditAnnotations().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeStatus(JsonGenerator g, Decision decision) throws IOException {
        g.writeObjectFieldStart("status");
        g.writeStringField("status", "Failure");
        g.writeStringField("message", decision.message());
        g.writeStringField("reason", decision.code() == 403 ? "Forbidden" : "BadRequest");
        if (!decision.violations().isEmpty()) {
            g.writeObjectFieldStart("details");
            g.writeArrayFieldStart("causes");
            int causes = 0;
            for (Violation v : decision.violations()) {
                if (v.enforcement() != org.imagepolicy.webhook.policy.Enforcement.Deny) {
                    continue;
                }
                if (causes == DecisionBuilder.MAX_LISTED) {
                    break;
                }
                causes++;
                g.writeStartObject();
                g.writeStringField("reason", "FieldValueForbidden");
                g.writeStringField("message", "Forbidden: " + v.detail());
                g.writeStringField("field", v.field().path());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeNumberField("code", decision.code());
        g.writeEndObject();
    }

    /** A metav1.Status body for HTTP errors, so curl users and logs see the same shape the API server uses. */
    public static byte[] httpError(int code, String reason, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + message.length());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("kind", "Status");
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("status", "Failure");
            g.writeStringField("message", message);
            g.writeStringField("reason", reason);
            g.writeNumberField("code", code);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
