package org.imagepolicy.webhook.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.testing.Project;

/**
 * The published schemas reports are checked against (verbatim copies in {@code ../shared/reference/schemas}),
 * and the check the API server makes silently: a field its structural schema does not declare is pruned,
 * so here it is an error.
 */
public final class ReportSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the API server keeps of {@code metadata} in the reports we write. */
    private static final Set<String> OBJECT_META = Set.of("name", "namespace", "labels", "annotations");

    private ReportSchemas() {
    }

    public static Path dir() {
        return Project.shared().resolve("reference/schemas");
    }

    /** The {@code openAPIV3Schema} of one version of a CRD. */
    public static JsonNode crdSchema(String file, String version) throws IOException {
        JsonNode crd = null;
        for (Iterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(dir().resolve(file).toFile()); it.hasNext();) {
            JsonNode doc = it.next();
            if (doc != null && "CustomResourceDefinition".equals(doc.path("kind").asText())) {
                crd = doc;
            }
        }
        if (crd == null) {
            throw new IllegalStateException(file + " holds no CustomResourceDefinition");
        }
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())) {
                return v.path("schema").path("openAPIV3Schema");
            }
        }
        throw new IllegalStateException(file + " has no version " + version);
    }

    /**
     * Validates a custom resource as the API server would: the OpenAPI v3 schema read as JSON Schema draft 4
     * (types, enums, required), then every field checked against the declared properties.
     */
    public static List<String> validateCustomResource(JsonNode schema, JsonNode doc) {
        List<String> problems = new ArrayList<>();
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
        for (Error e : compiled.validate(doc)) {
            problems.add(e.toString());
        }
        unknownFields(schema, doc, "", problems);
        return problems;
    }

    private static void unknownFields(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (value.isObject()) {
            if (path.equals(".metadata")) {
                value.fieldNames().forEachRemaining(f -> {
                    if (!OBJECT_META.contains(f)) {
                        problems.add(path + "." + f + ": not an ObjectMeta field the reports may set");
                    }
                });
                return;
            }
            if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                return;
            }
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path + "." + f.getKey();
                if (props.has(f.getKey())) {
                    unknownFields(props.get(f.getKey()), f.getValue(), p, problems);
                } else if (additional != null && additional.isObject()) {
                    unknownFields(additional, f.getValue(), p, problems);
                } else if (!path.isEmpty() || !Set.of("apiVersion", "kind").contains(f.getKey())) {
                    problems.add(p + ": not declared by the schema (the API server would drop it)");
                }
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                unknownFields(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    /** Validates a SARIF log against the OASIS 2.1.0 schema (draft 4). */
    public static List<String> validateSarif(JsonNode log) throws IOException {
        JsonNode schema = JSON.readTree(dir().resolve("sarif-schema-2.1.0.json").toFile());
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
        return compiled.validate(log).stream().map(Error::toString).toList();
    }
}
