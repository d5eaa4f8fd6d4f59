package org.imagepolicy.webhook.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.policy.PolicyFragment.Setting;

/**
 * Reads one file's {@code ImagePolicyConfig}, in any of the three shapes users paste from OpenShift: the
 * bare config, a {@code pluginConfig} map, or a whole {@code master-config.yaml}. Every field problem is
 * collected with its location; nothing is defaulted across files here.
 */
final class PolicyReader {
    static final List<String> PLUGIN_NAMES = List.of("image.openshift.io/ImagePolicy", "openshift.io/ImagePolicy");
    private static final Set<String> API_VERSIONS = Set.of("v1", "image.openshift.io/v1");

    private static final List<String> CONFIG_FIELDS = List.of("kind", "apiVersion", "resolveImages", "resolutionRules",
            "executionRules", "integratedRegistryHostnames", "defaultRegistry", "unqualifiedSearchRegistries", "exemptNamespaces", "skipControllerOwned",
            "allowedRegistriesForImport", "insecureRegistries");
    private static final List<String> RULE_FIELDS = List.of("name", "reject", "onResources", "ignoreNamespaceOverride",
            "invertMatch", "matchIntegratedRegistry", "matchRegistries", "matchRepositories", "skipOnResolutionFailure",
            "matchDockerImageLabels", "matchImageLabels", "matchImageAnnotations", "enforcement");
    private static final List<String> RESOLUTION_FIELDS = List.of("targetResource", "policy", "localNames");
    private static final List<String> GROUP_RESOURCE_FIELDS = List.of("group", "resource");
    private static final List<String> VALUE_CONDITION_FIELDS = List.of("key", "set", "value");
    private static final List<String> SELECTOR_FIELDS = List.of("matchLabels", "matchExpressions");
    private static final List<String> REQUIREMENT_FIELDS = List.of("key", "operator", "values");

    private final Problems problems;

    PolicyReader(Problems problems) {
        this.problems = problems;
    }

    PolicyFragment read(PolicyDocument document) {
        Located root = Located.root(document);
        RegistrySourceReader sources = new RegistrySourceReader(this, problems);
        if (RegistrySourceReader.handles(root)) {
            return sources.read(root);
        }
        // A 3.x master-config.yaml, or the installer's openshift_master_image_policy_config JSON, may carry the
        // import policy (imagePolicyConfig) with or without an ImagePolicy plug-in configuration.
        Located imagePolicyConfig = root.node.isObject() ? root.field("imagePolicyConfig") : null;
        if (imagePolicyConfig != null && !imagePolicyConfig.absent()) {
            PolicyFragment imports = sources.imagePolicyConfig(imagePolicyConfig);
            if (!hasImagePolicyPlugin(root)) {
                return imports;
            }
            Located config = findConfig(root);
            PolicyFragment fragment = config == null ? null : readConfig(config);
            return fragment == null || imports == null ? (fragment == null ? imports : fragment) : fragment.with(imports);
        }
        Located config = findConfig(root);
        if (config == null) {
            return null;
        }
        return readConfig(config);
    }

    private static boolean hasImagePolicyPlugin(Located root) {
        for (JsonNode admission : List.of(root.node.path("admissionConfig"), root.node.path("kubernetesMasterConfig").path("admissionConfig"))) {
            for (String plugin : PLUGIN_NAMES) {
                if (admission.path("pluginConfig").has(plugin)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Located findConfig(Located root) {
        if (!root.node.isObject()) {
            problems.error(root, "expected an ImagePolicyConfig object, found " + describe(root.node));
            return null;
        }
        if ("ImagePolicyConfig".equals(root.node.path("kind").asText())) {
            return root;
        }
        boolean wrapped = root.node.has("admissionConfig") || root.node.has("kubernetesMasterConfig")
                || PLUGIN_NAMES.stream().anyMatch(root.node::has);
        if (!wrapped) {
            if (root.node.has("kind") || root.node.has("executionRules") || root.node.has("resolveImages")) {
                return root; // reading it reports what is wrong with kind and apiVersion
            }
            problems.error(root, "no ImagePolicyConfig found: expected kind: ImagePolicyConfig, a pluginConfig entry named "
                    + String.join(" or ", PLUGIN_NAMES) + ", or a master-config.yaml with admissionConfig.pluginConfig");
            return null;
        }
        Located pluginConfig = root;
        Located admission = root.field("admissionConfig");
        if (admission.absent()) {
            admission = root.field("kubernetesMasterConfig").field("admissionConfig");
        }
        if (!admission.absent()) {
            pluginConfig = admission.field("pluginConfig");
            if (!pluginConfig.node.isObject()) {
                problems.error(admission, "this master config has no admissionConfig.pluginConfig, so it holds no image policy");
                return null;
            }
        }
        for (String plugin : PLUGIN_NAMES) {
            Located entry = pluginConfig.field(plugin);
            if (!entry.absent()) {
                Located configuration = entry.field("configuration");
                if (configuration.absent() && !entry.field("location").absent()) {
                    problems.error(entry.field("location"), "a pluginConfig that points to another file is not followed;"
                            + " give that file to --policy instead");
                    return null;
                }
                // An entry without configuration enables the plug-in with an empty config, as OpenShift does.
                return configuration.absent() ? null : configuration.asRoot();
            }
        }
        problems.error(root, "no ImagePolicyConfig found: expected kind: ImagePolicyConfig, a pluginConfig entry named "
                + String.join(" or ", PLUGIN_NAMES) + ", or a master-config.yaml with admissionConfig.pluginConfig");
        return null;
    }

    private PolicyFragment readConfig(Located config) {
        if (!config.node.isObject()) {
            problems.error(config, "the configuration must be an object, found " + describe(config.node));
            return null;
        }
        checkFields(config, CONFIG_FIELDS);
        String kind = text(config.field("kind"));
        if (!"ImagePolicyConfig".equals(kind)) {
            problems.error(config.field("kind"), kind == null ? "kind is missing; write kind: ImagePolicyConfig"
                    : "kind is \"" + kind + "\"; an image policy has kind: ImagePolicyConfig");
        }
        String apiVersion = text(config.field("apiVersion"));
        if (apiVersion == null || !API_VERSIONS.contains(apiVersion)) {
            problems.error(config.field("apiVersion"), (apiVersion == null ? "apiVersion is missing" : "apiVersion \"" + apiVersion
                    + "\" is not an ImagePolicyConfig version") + "; write image.openshift.io/v1 (OpenShift 4) or v1 (OpenShift 3)");
        }
        Setting<String> resolveImages = null;
        Located resolve = config.field("resolveImages");
        if (!resolve.absent()) {
            String value = text(resolve);
            if (value != null && !value.isEmpty() && ResolutionType.fromName(value) == null) {
                problems.error(resolve, "unknown resolveImages \"" + value + "\"; use one of " + ResolutionType.names());
            } else if (value != null && !value.isEmpty()) {
                resolveImages = Setting.at(value, resolve);
            }
        }
        List<Setting<ResolutionRule>> resolutionRules = null;
        Located resolutionRulesAt = config.field("resolutionRules");
        if (!resolutionRulesAt.absent()) {
            resolutionRules = new ArrayList<>();
            for (Located rule : list(resolutionRulesAt, "a list of resolution rules")) {
                ResolutionRule r = readResolutionRule(rule);
                if (r != null) {
                    resolutionRules.add(Setting.at(r, rule));
                }
            }
        }
        List<Setting<ExecutionRule>> executionRules = new ArrayList<>();
        for (Located rule : list(config.field("executionRules"), "a list of execution rules")) {
            ExecutionRule r = readExecutionRule(rule);
            if (r != null) {
                executionRules.add(Setting.at(r, rule));
            }
        }
        List<HostPattern> integrated = hosts(config.field("integratedRegistryHostnames"));
        Setting<String> defaultRegistry = null;
        Located defaultAt = config.field("defaultRegistry");
        if (!defaultAt.absent()) {
            String value = text(defaultAt);
            if (value != null) {
                try {
                    HostPattern host = HostPattern.parse(value);
                    if (host.wildcard()) {
                        problems.error(defaultAt, "defaultRegistry must name one registry, not a wildcard");
                    } else {
                        defaultRegistry = Setting.at(value, defaultAt);
                    }
                } catch (IllegalArgumentException e) {
                    problems.error(defaultAt, e.getMessage());
                }
            }
        }
        Setting<List<String>> searchRegistries = null;
        Located searchAt = config.field("unqualifiedSearchRegistries");
        if (!searchAt.absent()) {
            List<String> keys = new ArrayList<>();
            for (Located entry : list(searchAt, "a list of registries")) {
                String value = text(entry);
                if (value == null) {
                    continue;
                }
                try {
                    HostPattern host = HostPattern.parse(value);
                    if (host.wildcard()) {
                        problems.error(entry, "unqualifiedSearchRegistries names the registries a node tries, one by one;"
                                + " write each registry, not a wildcard");
                    } else if (!keys.contains(host.key())) {
                        keys.add(host.key());
                    }
                } catch (IllegalArgumentException e) {
                    problems.error(entry, e.getMessage());
                }
            }
            searchRegistries = Setting.at(List.copyOf(keys), searchAt);
        }
        Set<String> exempt = new LinkedHashSet<>();
        for (Located ns : list(config.field("exemptNamespaces"), "a list of namespace names")) {
            String name = text(ns);
            if (name != null && !LabelSyntax.DNS_LABEL.matcher(name).matches()) {
                problems.error(ns, "\"" + name + "\" is not a namespace name (lowercase letters, digits and '-')");
            } else if (name != null) {
                exempt.add(name);
            }
        }
        Located skipAt = config.field("skipControllerOwned");
        Setting<Boolean> skip = skipAt.absent() ? null : Setting.at(bool(skipAt), skipAt);
        // This project's additions, so that what check-policy --explain prints for any source reads back as one file.
        RegistrySourceReader sources = new RegistrySourceReader(this, problems);
        List<Setting<org.imagepolicy.webhook.image.ImportPattern>> imports = sources.imports(config.field("allowedRegistriesForImport"));
        List<String> insecure = sources.insecureEntries(config.field("insecureRegistries"));
        return new PolicyFragment(config.source(), resolveImages, resolutionRules, executionRules, integrated,
                defaultRegistry, searchRegistries, exempt, skip, imports, insecure);
    }

    private ResolutionRule readResolutionRule(Located rule) {
        if (!object(rule, "a resolution rule")) {
            return null;
        }
        checkFields(rule, RESOLUTION_FIELDS);
        Located target = rule.field("targetResource");
        GroupResource gr = null;
        if (target.absent()) {
            problems.error(target, "targetResource is required; write targetResource: {group: \"\", resource: pods}");
        } else if (object(target, "{group, resource}")) {
            checkFields(target, GROUP_RESOURCE_FIELDS);
            String group = textOr(target.field("group"), "");
            String resource = textOr(target.field("resource"), "");
            if (resource.isEmpty()) {
                problems.error(target.field("resource"), "targetResource.resource is required; name a resource or \"*\"");
            }
            if (group.equals("*")) {
                problems.warning(target.field("group"), "a \"*\" group matches nothing (OpenShift does not support it); name the group");
            }
            gr = Resources.normalize(GroupResource.of(group, resource));
        }
        ResolutionType policy = null;
        Located policyAt = rule.field("policy");
        String policyName = text(policyAt);
        if (policyName != null && !policyName.isEmpty()) {
            policy = ResolutionType.fromName(policyName);
            if (policy == null) {
                problems.error(policyAt, "unknown policy \"" + policyName + "\"; use one of " + ResolutionType.names());
            }
        }
        boolean localNames = bool(rule.field("localNames"));
        return gr == null ? null : new ResolutionRule(gr, policy, localNames);
    }

    private ExecutionRule readExecutionRule(Located rule) {
        if (!object(rule, "an execution rule")) {
            return null;
        }
        checkFields(rule, RULE_FIELDS);
        String name = textOr(rule.field("name"), "");
        List<GroupResource> onResources = new ArrayList<>();
        for (Located r : list(rule.field("onResources"), "a list of {group, resource}")) {
            if (!object(r, "{group, resource}")) {
                continue;
            }
            checkFields(r, GROUP_RESOURCE_FIELDS);
            GroupResource gr = Resources.normalize(GroupResource.of(textOr(r.field("group"), ""), textOr(r.field("resource"), "")));
            if (gr.resource().isEmpty()) {
                problems.error(r, "resource is required; name a resource such as pods");
            } else if (gr.resource().equals("*")) {
                problems.error(r, "onResources takes no wildcards; list each resource. Supported: " + Resources.supportedList());
            } else if (!Resources.carriesImages(gr)) {
                problems.error(r, "\"" + gr + "\" carries no images this webhook can check" + Resources.suggestion(gr)
                        + ". Supported: " + Resources.supportedList());
            } else {
                onResources.add(gr);
            }
        }
        if (onResources.isEmpty() && rule.field("onResources").node.size() == 0) {
            onResources.add(Resources.PODS); // OpenShift's default for a rule that names no resources
        }
        Enforcement enforcement = Enforcement.Deny;
        Located enforcementAt = rule.field("enforcement");
        String enforcementName = text(enforcementAt);
        if (enforcementName != null) {
            enforcement = Enforcement.fromName(enforcementName);
            if (enforcement == null) {
                problems.error(enforcementAt, "unknown enforcement \"" + enforcementName + "\"; use Deny, Warn or Audit");
                enforcement = Enforcement.Deny;
            }
        }
        return new ExecutionRule(name, bool(rule.field("reject")), onResources, bool(rule.field("ignoreNamespaceOverride")),
                bool(rule.field("invertMatch")), bool(rule.field("matchIntegratedRegistry")),
                hosts(rule.field("matchRegistries")), repositories(rule.field("matchRepositories")),
                bool(rule.field("skipOnResolutionFailure")), valueConditions(rule.field("matchDockerImageLabels")),
                selectors(rule.field("matchImageLabels")), valueConditions(rule.field("matchImageAnnotations")), enforcement);
    }

    private List<HostPattern> hosts(Located at) {
        return patterns(at, HostPattern::parse);
    }

    private List<org.imagepolicy.webhook.image.RepositoryPattern> repositories(Located at) {
        return patterns(at, org.imagepolicy.webhook.image.RepositoryPattern::parse);
    }

    private <T> List<T> patterns(Located at, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (Located entry : list(at, "a list of strings")) {
            String value = entry.node.isTextual() ? entry.node.textValue() : null;
            if (value == null) {
                problems.error(entry, "expected a string, found " + describe(entry.node));
                continue;
            }
            try {
                out.add(parser.apply(value));
            } catch (IllegalArgumentException e) {
                problems.error(entry, e.getMessage());
            }
        }
        return out;
    }

    private List<ValueCondition> valueConditions(Located at) {
        List<ValueCondition> out = new ArrayList<>();
        for (Located c : list(at, "a list of {key, value} or {key, set: true}")) {
            if (!object(c, "{key, value} or {key, set: true}")) {
                continue;
            }
            checkFields(c, VALUE_CONDITION_FIELDS);
            String key = textOr(c.field("key"), "");
            if (key.isEmpty()) {
                problems.error(c, "key is required");
            }
            out.add(new ValueCondition(key, bool(c.field("set")), textOr(c.field("value"), "")));
        }
        return out;
    }

    private List<LabelSelector> selectors(Located at) {
        List<LabelSelector> out = new ArrayList<>();
        for (Located s : list(at, "a list of label selectors")) {
            if (!object(s, "a label selector {matchLabels, matchExpressions}")) {
                continue;
            }
            checkFields(s, SELECTOR_FIELDS);
            java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
            Located matchLabels = s.field("matchLabels");
            if (!matchLabels.absent() && object(matchLabels, "a map of label keys to values")) {
                for (String key : matchLabels.fieldNames()) {
                    Located value = matchLabels.field(key);
                    String v = textOr(value, "");
                    report(value, LabelSyntax.keyProblem(key));
                    report(value, LabelSyntax.valueProblem(v));
                    labels.put(key, v);
                }
            }
            List<LabelSelector.Requirement> requirements = new ArrayList<>();
            for (Located e : list(s.field("matchExpressions"), "a list of {key, operator, values}")) {
                LabelSelector.Requirement r = readRequirement(e);
                if (r != null) {
                    requirements.add(r);
                }
            }
            out.add(new LabelSelector(java.util.Map.copyOf(labels), List.copyOf(requirements)));
        }
        return out;
    }

    private LabelSelector.Requirement readRequirement(Located e) {
        if (!object(e, "{key, operator, values}")) {
            return null;
        }
        checkFields(e, REQUIREMENT_FIELDS);
        String key = textOr(e.field("key"), "");
        report(e.field("key"), LabelSyntax.keyProblem(key));
        String op = textOr(e.field("operator"), "");
        LabelSelector.Operator operator = null;
        for (LabelSelector.Operator o : LabelSelector.Operator.values()) {
            if (o.name().equals(op)) {
                operator = o;
            }
        }
        if (operator == null) {
            problems.error(e.field("operator"), "operator \"" + op + "\" is not one of In, NotIn, Exists, DoesNotExist");
            return null;
        }
        Set<String> values = new LinkedHashSet<>();
        for (Located v : list(e.field("values"), "a list of strings")) {
            String value = textOr(v, "");
            report(v, LabelSyntax.valueProblem(value));
            values.add(value);
        }
        boolean needsValues = operator == LabelSelector.Operator.In || operator == LabelSelector.Operator.NotIn;
        if (needsValues && values.isEmpty()) {
            problems.error(e, operator + " needs at least one value");
        } else if (!needsValues && !values.isEmpty()) {
            problems.error(e, operator + " takes no values; remove them");
        }
        return new LabelSelector.Requirement(key, operator, Set.copyOf(values));
    }

    private void report(Located at, String problem) {
        if (problem != null) {
            problems.error(at, problem);
        }
    }

    void checkFields(Located object, List<String> known) {
        for (String name : object.fieldNames()) {
            if (!known.contains(name)) {
                String hint = known.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                        .findFirst().map(k -> "; did you mean " + k + "?").orElse("; OpenShift ignores it");
                problems.unknown(object.field(name), "unknown field \"" + name + "\"" + hint);
            }
        }
    }

    boolean object(Located at, String expected) {
        if (!at.node.isObject()) {
            problems.error(at, "expected " + expected + ", found " + describe(at.node));
            return false;
        }
        return true;
    }

    List<Located> list(Located at, String expected) {
        if (at.absent()) {
            return List.of();
        }
        if (!at.node.isArray()) {
            problems.error(at, "expected " + expected + ", found " + describe(at.node));
            return List.of();
        }
        return at.elements();
    }

    String text(Located at) {
        if (at.absent()) {
            return null;
        }
        if (!at.node.isValueNode()) {
            problems.error(at, "expected a string, found " + describe(at.node));
            return null;
        }
        return at.node.asText();
    }

    private String textOr(Located at, String fallback) {
        String t = text(at);
        return t == null ? fallback : t;
    }

    /** Booleans as Go's YAML read them, including the YAML 1.1 spellings 3.x configs may carry. */
    boolean bool(Located at) {
        if (at.absent()) {
            return false;
        }
        JsonNode n = at.node;
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            switch (n.textValue().toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on":
                    return true;
                case "false": case "no": case "off":
                    return false;
                default:
                    break;
            }
        }
        problems.error(at, "expected true or false, found " + describe(n));
        return false;
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.isTextual() ? "\"" + n.textValue() + "\"" : n.toString();
    }
}
