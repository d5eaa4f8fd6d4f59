package org.imagepolicy.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code policies/policy.schema.json} stays in step with the loader: its objects declare exactly the fields
 * {@link PolicyReader} accepts (read from the reader's own constants), its enums are the engine's enums,
 * every field has a description for editors, and every policy this project ships or tests with validates.
 */
class PolicySchemaTest {
    static final Path SCHEMA = Project.root().resolve("policies/policy.schema.json");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Which schema definitions hold the fields of each of the reader's field lists. */
    static final Map<String, List<String>> DEFINITIONS = Map.of(
            "CONFIG_FIELDS", List.of("ImagePolicyConfig"),
            "RULE_FIELDS", List.of("ExecutionRule"),
            "RESOLUTION_FIELDS", List.of("ResolutionRule"),
            "GROUP_RESOURCE_FIELDS", List.of("GroupResource", "OnResource"),
            "VALUE_CONDITION_FIELDS", List.of("ValueCondition"),
            "SELECTOR_FIELDS", List.of("LabelSelector"),
            "REQUIREMENT_FIELDS", List.of("LabelSelectorRequirement"));

    static JsonNode schema() throws Exception {
        return JSON.readTree(SCHEMA.toFile());
    }

    static Schema validator() throws Exception {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(Files.readString(SCHEMA));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readerConstants() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : PolicyReader.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()) && Collection.class.isAssignableFrom(f.getType())) {
                f.setAccessible(true);
                out.put(f.getName(), f.get(null));
            }
        }
        return out;
    }

    @Test
    void theSchemaIsAValidDraft7Schema() throws Exception {
        JsonNode schema = schema();
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"));
        assertThat(meta.validate(schema)).isEmpty();
    }

    @Test
    void everyFieldTheLoaderAcceptsIsInTheSchemaAndNoOther() throws Exception {
        JsonNode definitions = schema().path("definitions");
        Map<String, Object> constants = readerConstants();
        List<String> fieldLists = constants.keySet().stream().filter(n -> n.endsWith("_FIELDS")).toList();
        assertThat(fieldLists).as("the reader's field lists").isNotEmpty();
        for (String list : fieldLists) {
            assertThat(DEFINITIONS).as("PolicyReader.%s is new: map it to its schema definition here and describe its fields in the schema", list)
                    .containsKey(list);
            Set<String> accepted = new HashSet<>((Collection<String>) constants.get(list));
            for (String definition : DEFINITIONS.get(list)) {
                assertThat(names(definitions.path(definition).path("properties"))).as("%s properties vs PolicyReader.%s", definition, list)
                        .containsExactlyInAnyOrderElementsOf(accepted);
                assertThat(definitions.path(definition).path("additionalProperties").asBoolean(true))
                        .as("%s refuses unknown fields, as check-policy --strict does", definition).isFalse();
            }
        }
        Set<String> plugins = new HashSet<>((Collection<String>) constants.get("PLUGIN_NAMES"));
        assertThat(names(definitions.path("PluginConfig").path("properties"))).containsExactlyInAnyOrderElementsOf(plugins);
        assertThat(definitions.path("ImagePolicyConfig").path("properties").path("apiVersion").path("enum"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf((Collection<String>) constants.get("API_VERSIONS"));
    }

    @Test
    void theSchemasEnumsAreTheEnginesEnums() throws Exception {
        JsonNode d = schema().path("definitions");
        assertThat(texts(d.path("ResolutionType").path("enum"))).containsExactlyElementsOf(Arrays.stream(ResolutionType.values()).map(Enum::name).toList());
        assertThat(texts(d.path("ExecutionRule").path("properties").path("enforcement").path("enum")))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Enforcement.values()).map(Enum::name).toList());
        assertThat(texts(d.path("LabelSelectorRequirement").path("properties").path("operator").path("enum")))
                .containsExactlyElementsOf(Arrays.stream(LabelSelector.Operator.values()).map(Enum::name).toList());
        assertThat(texts(d.path("OnResource").path("properties").path("resource").path("enum")))
                .containsExactlyInAnyOrderElementsOf(Resources.IMAGE_BEARING.stream().map(GroupResource::resource).distinct().toList());
        Set<String> groups = new HashSet<>();
        Resources.IMAGE_BEARING.forEach(gr -> groups.add(gr.group()));
        assertThat(texts(d.path("OnResource").path("properties").path("group").path("enum"))).containsExactlyInAnyOrderElementsOf(groups);
    }

    @Test
    void everyFieldHasADescriptionForEditors() throws Exception {
        JsonNode definitions = schema().path("definitions");
        List<String> undescribed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> def = it.next();
            if (!def.getValue().has("description")) {
                undescribed.add(def.getKey());
            }
            def.getValue().path("properties").fields().forEachRemaining(p -> {
                String ref = p.getValue().has("allOf") ? p.getValue().path("allOf").get(0).path("$ref").asText() : p.getValue().path("$ref").asText();
                JsonNode target = ref.isEmpty() ? p.getValue() : definitions.path(ref.replace("#/definitions/", ""));
                if (!p.getValue().has("description") && !target.has("description")) {
                    undescribed.add(def.getKey() + "." + p.getKey());
                }
            });
        }
        assertThat(undescribed).isEmpty();
    }

    /** Every policy the project ships, tests with or documents, in every accepted shape, validates. */
    @TestFactory
    Stream<DynamicTest> everyShippedAndTestPolicyValidates() throws Exception {
        Schema validator = validator();
        List<Path> policies = new ArrayList<>();
        Path root = Project.root();
        try (Stream<Path> files = Stream.concat(Files.walk(root.resolve("policies")), Stream.of(
                root.resolve("webhook/src/test/resources/golden/policy.yaml"),
                root.resolve("webhook/src/test/resources/explain/policy.yaml"),
                root.resolve("webhook/src/test/resources/conformance/default-policy.yaml"),
                root.resolve("webhook/src/test/resources/conformance/default-policy-3x.yaml")))) {
            files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$") && !p.toString().contains("/tests/") && !p.toString().endsWith(".schema.json"))
                    .forEach(policies::add);
        }
        assertThat(policies).hasSizeGreaterThanOrEqualTo(9);
        return policies.stream().map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> {
            PolicyFilesCheck.loads(p);
            assertThat(messages(validator.validate(YAML.readTree(p.toFile())))).isEmpty();
        }));
    }

    @Test
    void thePluginConfigAndMasterConfigShapesValidate() throws Exception {
        Schema validator = validator();
        String config = "{kind: ImagePolicyConfig, apiVersion: v1, executionRules: [{name: a, reject: yes, matchRegistries: [quay.io]}]}";
        for (String shape : List.of(
                "openshift.io/ImagePolicy: {configuration: " + config + "}",
                "image.openshift.io/ImagePolicy: {configuration: " + config + "}\nBuildDefaults: {configuration: {kind: BuildDefaultsConfig}}",
                "apiVersion: v1\nkind: MasterConfig\nadmissionConfig:\n  pluginConfig:\n    openshift.io/ImagePolicy: {configuration: " + config + "}",
                "kind: MasterConfig\nkubernetesMasterConfig: {admissionConfig: {pluginConfig: {openshift.io/ImagePolicy: {configuration: " + config + "}}}}")) {
            assertThat(new PolicyParser(true).parse("shape.yaml", shape).policy().executionRules()).as(shape).hasSize(1);
            assertThat(messages(validator.validate(YAML.readTree(shape)))).as(shape).isEmpty();
        }
    }

    /** What the loader refuses, the schema refuses too, so an editor marks it before check-policy does. */
    @Test
    void mistakesTheLoaderRefusesAreMarkedByTheSchema() throws Exception {
        Schema validator = validator();
        String head = "apiVersion: image.openshift.io/v1\nkind: ImagePolicyConfig\n";
        for (String bad : List.of(
                head + "resolveImages: Sometimes\n",
                head + "executionRules:\n- name: a\n  enforcement: Block\n",
                head + "executionRules:\n- name: a\n  onResources: [{resource: services}]\n",
                head + "executionRules:\n- name: a\n  matchRegistrys: [quay.io]\n",
                head + "executionRules:\n- name: a\n  matchRegistries: [quay.io/org]\n",
                head + "executionRules:\n- name: a\n  matchImageLabels: [{matchExpressions: [{key: a, operator: Equals}]}]\n",
                head + "executionRules:\n- name: a\n  invertMatch: maybe\n",
                head + "exemptNamespaces: [Kube_System]\n",
                head + "unqualifiedSearchRegistries: [\"*.example.com\"]\n",
                "apiVersion: image.openshift.io/v1\nkind: ImagePolicy\n",
                "openshift.io/ImagePolicy: {configuration: {kind: ImagePolicyConfig, apiVersion: v2}}")) {
            assertThat(loaderRefuses(bad)).as("the loader refuses:%n%s", bad).isTrue();
            assertThat(validator.validate(YAML.readTree(bad))).as("the schema refuses:%n%s", bad).isNotEmpty();
        }
    }

    private static boolean loaderRefuses(String text) {
        try {
            new PolicyParser(true).parse("bad.yaml", text);
            return false;
        } catch (PolicyException e) {
            return true;
        }
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The loader's verdict on a file, so a policy that validates but does not load cannot hide here. */
    static final class PolicyFilesCheck {
        static void loads(Path p) throws Exception {
            new PolicyParser(true).parse(p.toString(), Files.readString(p));
        }
    }
}
