package org.imagepolicy.webhook.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImportPattern;
import org.imagepolicy.webhook.image.RepositoryPattern;

/**
 * A validated policy written back as the one {@code ImagePolicyConfig} it amounts to, defaults applied:
 * what {@code check-policy --explain} prints for a registries.conf, a cluster image configuration or a
 * directory of files. Reading the text back gives the same policy, which a test checks.
 */
public final class PolicyWriter {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PolicyWriter() {
    }

    public static String yaml(ImagePolicy policy) {
        try {
            return YAML.writeValueAsString(tree(policy));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(ImagePolicy p) {
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", "image.openshift.io/v1");
        root.put("kind", "ImagePolicyConfig");
        root.put("resolveImages", p.resolveImages().name());
        ArrayNode resolution = root.putArray("resolutionRules");
        for (ResolutionRule r : p.resolutionRules()) {
            ObjectNode n = resolution.addObject();
            n.set("targetResource", groupResource(r.targetResource()));
            n.put("policy", r.policy().name());
            if (r.localNames()) {
                n.put("localNames", true);
            }
        }
        ArrayNode rules = root.putArray("executionRules");
        for (ExecutionRule r : p.executionRules()) {
            rules.add(rule(r));
        }
        strings(root, "integratedRegistryHostnames", p.integratedRegistryHostnames().stream().map(HostPattern::text).toList());
        if (p.defaultRegistry() != null) {
            root.put("defaultRegistry", p.defaultRegistry());
        }
        strings(root, "unqualifiedSearchRegistries", p.unqualifiedSearchRegistries());
        strings(root, "exemptNamespaces", p.exemptNamespaces().stream().sorted().toList());
        if (p.skipControllerOwned()) {
            root.put("skipControllerOwned", true);
        }
        if (!p.allowedRegistriesForImport().isEmpty()) {
            ArrayNode imports = root.putArray("allowedRegistriesForImport");
            for (ImportPattern i : p.allowedRegistriesForImport()) {
                ObjectNode n = imports.addObject();
                n.put("domainName", i.domainName().strip());
                if (i.insecure()) {
                    n.put("insecure", true);
                }
            }
        }
        strings(root, "insecureRegistries", p.insecureRegistries());
        return root;
    }

    private static ObjectNode rule(ExecutionRule r) {
        ObjectNode n = NODES.objectNode();
        n.put("name", r.name());
        if (r.reject()) {
            n.put("reject", true);
        }
        ArrayNode on = n.putArray("onResources");
        r.onResources().forEach(gr -> on.add(groupResource(gr)));
        if (r.ignoreNamespaceOverride()) {
            n.put("ignoreNamespaceOverride", true);
        }
        if (r.invertMatch()) {
            n.put("invertMatch", true);
        }
        if (r.matchIntegratedRegistry()) {
            n.put("matchIntegratedRegistry", true);
        }
        strings(n, "matchRegistries", r.matchRegistries().stream().map(HostPattern::text).toList());
        strings(n, "matchRepositories", r.matchRepositories().stream().map(RepositoryPattern::text).toList());
        if (r.skipOnResolutionFailure()) {
            n.put("skipOnResolutionFailure", true);
        }
        conditions(n, "matchDockerImageLabels", r.matchDockerImageLabels());
        if (!r.matchImageLabels().isEmpty()) {
            ArrayNode selectors = n.putArray("matchImageLabels");
            for (LabelSelector s : r.matchImageLabels()) {
                ObjectNode sel = selectors.addObject();
                if (!s.matchLabels().isEmpty()) {
                    ObjectNode labels = sel.putObject("matchLabels");
                    new TreeMap<>(s.matchLabels()).forEach(labels::put);
                }
                if (!s.matchExpressions().isEmpty()) {
                    ArrayNode exprs = sel.putArray("matchExpressions");
                    for (LabelSelector.Requirement q : s.matchExpressions()) {
                        ObjectNode e = exprs.addObject();
                        e.put("key", q.key());
                        e.put("operator", q.operator().name());
                        strings(e, "values", q.values().stream().sorted().toList());
                    }
                }
            }
        }
        conditions(n, "matchImageAnnotations", r.matchImageAnnotations());
        if (r.enforcement() != Enforcement.Deny) {
            n.put("enforcement", r.enforcement().name());
        }
        return n;
    }

    private static void conditions(ObjectNode n, String field, List<ValueCondition> conditions) {
        if (conditions.isEmpty()) {
            return;
        }
        ArrayNode list = n.putArray(field);
        for (ValueCondition c : conditions) {
            ObjectNode o = list.addObject();
            o.put("key", c.key());
            if (c.set()) {
                o.put("set", true);
            } else {
                o.put("value", c.value());
            }
        }
    }

    private static ObjectNode groupResource(GroupResource gr) {
        ObjectNode n = NODES.objectNode();
        n.put("group", gr.group());
        n.put("resource", gr.resource());
        return n;
    }

    private static void strings(ObjectNode n, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode list = n.putArray(field);
            values.forEach(list::add);
        }
    }
}
