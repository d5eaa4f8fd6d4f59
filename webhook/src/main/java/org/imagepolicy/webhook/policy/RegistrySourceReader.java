package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImportPattern;
import org.imagepolicy.webhook.image.RepositoryPattern;
import org.imagepolicy.webhook.policy.PolicyFragment.Setting;

/**
 * Reads the registry settings OpenShift clusters keep outside an {@code ImagePolicyConfig}, verbatim, as
 * the policy they amount to: the 4.x cluster image configuration ({@code config.openshift.io/v1 Image}),
 * a containers {@code registries.conf} (TOML v2 {@code [[registry]]}, v1 {@code [registries.block]}), the
 * 3.x docker daemon's YAML {@code registries:} / {@code block_registries:} lists, and the import policy
 * ({@code allowedRegistriesForImport}) of a 3.x {@code imagePolicyConfig}. Unknown fields are errors here:
 * a misspelt {@code blocked} would silently allow what the file means to block.
 */
final class RegistrySourceReader {
    /** Pods, the workload controllers that template them, and builds: what a node's registry settings restrict. */
    static final List<GroupResource> RUNTIME_RESOURCES = List.of(
            Resources.PODS,
            GroupResource.of("", "replicationcontrollers"),
            GroupResource.of("apps", "deployments"),
            GroupResource.of("apps", "replicasets"),
            GroupResource.of("apps", "statefulsets"),
            GroupResource.of("apps", "daemonsets"),
            Resources.JOBS,
            GroupResource.of("batch", "cronjobs"),
            GroupResource.of("apps.openshift.io", "deploymentconfigs"),
            Resources.BUILDS,
            Resources.BUILD_CONFIGS);

    private static final List<String> IMAGE_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final List<String> IMAGE_SPEC_FIELDS = List.of("allowedRegistriesForImport", "externalRegistryHostnames",
            "additionalTrustedCA", "registrySources", "imageStreamImportMode");
    private static final List<String> REGISTRY_SOURCES_FIELDS = List.of("allowedRegistries", "blockedRegistries",
            "insecureRegistries", "containerRuntimeSearchRegistries");
    private static final List<String> IMAGE_STATUS_FIELDS = List.of("internalRegistryHostname", "externalRegistryHostnames");
    private static final List<String> IMAGE_POLICY_CONFIG_FIELDS = List.of("maxImagesBulkImportedPerRepository",
            "disableScheduledImport", "scheduledImageImportMinimumIntervalSeconds", "maxScheduledImageImportsPerMinute",
            "allowedRegistriesForImport", "internalRegistryHostname", "externalRegistryHostname", "additionalTrustedCA");
    private static final List<String> LOCATION_FIELDS = List.of("domainName", "insecure");
    private static final List<String> DAEMON_FIELDS = List.of("registries", "insecure_registries", "block_registries");
    private static final List<String> TOML_FIELDS = List.of("unqualified-search-registries", "short-name-mode",
            "credential-helpers", "additional-layer-store-auth-helper", "registry", "registries", "aliases");
    private static final List<String> TOML_REGISTRY_FIELDS = List.of("prefix", "location", "insecure", "blocked",
            "mirror-by-digest-only", "mirror", "pull-from-mirror", "url");
    private static final List<String> TOML_V1_TABLES = List.of("search", "insecure", "block");

    private final PolicyReader reader;
    private final Problems problems;

    RegistrySourceReader(PolicyReader reader, Problems problems) {
        this.reader = reader;
        this.problems = problems;
    }

    /** Whether the document is one of these sources rather than an ImagePolicyConfig. */
    static boolean handles(Located root) {
        if (!root.node.isObject()) {
            return false;
        }
        if ("Image".equals(root.node.path("kind").asText()) && root.node.path("apiVersion").asText().startsWith("config.openshift.io/")) {
            return true;
        }
        if (root.node.has("kind") || root.node.has("admissionConfig") || root.node.has("kubernetesMasterConfig")) {
            return false;
        }
        return root.node.has("registry") || root.node.has("registries") || root.node.has("unqualified-search-registries")
                || root.node.has("block_registries") || root.node.has("insecure_registries");
    }

    PolicyFragment read(Located root) {
        if ("Image".equals(root.node.path("kind").asText())) {
            return clusterImage(root);
        }
        if (root.node.has("registry") || root.node.has("unqualified-search-registries")
                || root.node.path("registries").isObject()) {
            return containersToml(root);
        }
        return dockerDaemon(root);
    }

    /** {@code oc get image.config.openshift.io/cluster -o yaml}: status and managedFields are read or ignored as the cluster does. */
    private PolicyFragment clusterImage(Located root) {
        checkKnown(root, IMAGE_FIELDS);
        String apiVersion = root.node.path("apiVersion").asText();
        if (!"config.openshift.io/v1".equals(apiVersion)) {
            problems.error(root.field("apiVersion"), "apiVersion \"" + apiVersion + "\" is not a cluster image configuration"
                    + " version; write config.openshift.io/v1");
        }
        String name = root.node.path("metadata").path("name").asText("");
        if (!"cluster".equals(name)) {
            problems.error(root.field("metadata").field("name"), "the cluster only reads the image configuration named cluster,"
                    + (name.isEmpty() ? " and this one has no name" : " not \"" + name + "\"") + "; write metadata.name: cluster");
        }
        Located spec = root.field("spec");
        List<Setting<ExecutionRule>> rules = new ArrayList<>();
        List<Setting<ImportPattern>> imports = List.of();
        List<String> insecure = new ArrayList<>();
        Setting<List<String>> search = null;
        List<HostPattern> integrated = new ArrayList<>();
        if (!spec.absent() && reader.object(spec, "the image configuration's spec")) {
            checkKnown(spec, IMAGE_SPEC_FIELDS);
            imports = imports(spec.field("allowedRegistriesForImport"));
            integrated.addAll(hostnames(spec.field("externalRegistryHostnames")));
            Located sources = spec.field("registrySources");
            if (!sources.absent() && reader.object(sources, "registrySources {allowedRegistries, blockedRegistries, ...}")) {
                checkKnown(sources, REGISTRY_SOURCES_FIELDS);
                Located allowed = sources.field("allowedRegistries");
                Located blocked = sources.field("blockedRegistries");
                if (!allowed.absent() && !blocked.absent() && allowed.node.size() > 0 && blocked.node.size() > 0) {
                    problems.error(blocked, "set either allowedRegistries (line " + allowed.line() + ") or blockedRegistries,"
                            + " not both: the cluster refuses a configuration with both");
                }
                rules.addAll(entryRules("registry-sources-allowed", false, allowed));
                rules.addAll(entryRules("registry-sources-blocked", true, blocked));
                insecure.addAll(insecureEntries(sources.field("insecureRegistries")));
                search = searchRegistries(sources.field("containerRuntimeSearchRegistries"));
            }
        }
        Located status = root.field("status");
        if (!status.absent() && reader.object(status, "the image configuration's status")) {
            checkKnown(status, IMAGE_STATUS_FIELDS);
            Located internal = status.field("internalRegistryHostname");
            if (!internal.absent()) {
                integrated.addAll(hostnames(internal));
            }
            integrated.addAll(hostnames(status.field("externalRegistryHostnames")));
        }
        return new PolicyFragment(root.source(), null, null, rules, integrated, null, search, Set.of(), null, imports,
                List.copyOf(insecure));
    }

    /** TOML v2 ({@code [[registry]]}) and v1 ({@code [registries.search]}, {@code [registries.insecure]}, {@code [registries.block]}). */
    private PolicyFragment containersToml(Located root) {
        checkKnown(root, TOML_FIELDS);
        List<Setting<ExecutionRule>> rules = new ArrayList<>();
        Set<String> insecure = new LinkedHashSet<>();
        Setting<List<String>> search = null;
        Located v1 = root.field("registries");
        boolean isV1 = !v1.absent();
        if (isV1 && reader.object(v1, "the v1 tables [registries.search], [registries.insecure] and [registries.block]")) {
            checkKnown(v1, TOML_V1_TABLES);
            for (String table : TOML_V1_TABLES) {
                Located t = v1.field(table);
                if (!t.absent() && reader.object(t, "a table with registries = [...]")) {
                    checkKnown(t, List.of("registries"));
                }
            }
            search = searchRegistries(v1.field("search").field("registries"));
            insecure.addAll(insecureEntries(v1.field("insecure").field("registries")));
            rules.addAll(entryRules("registries-conf-blocked", true, v1.field("block").field("registries")));
        }
        Located unqualified = root.field("unqualified-search-registries");
        if (!unqualified.absent()) {
            if (isV1) {
                problems.error(unqualified, "this file mixes the v1 [registries.*] tables with v2 settings; containers-registries.conf"
                        + " refuses that: use [[registry]] tables and unqualified-search-registries only");
            }
            search = searchRegistries(unqualified);
        }
        List<String> blockedHosts = new ArrayList<>();
        List<Located> blockedAt = new ArrayList<>();
        for (Located registry : reader.list(root.field("registry"), "[[registry]] tables")) {
            if (isV1) {
                problems.error(registry, "this file mixes the v1 [registries.*] tables with [[registry]] tables;"
                        + " containers-registries.conf refuses that: move the v1 lists into [[registry]] tables");
            }
            if (!reader.object(registry, "a [[registry]] table")) {
                continue;
            }
            checkKnown(registry, TOML_REGISTRY_FIELDS);
            String location = reader.text(registry.field("location"));
            String prefix = reader.text(registry.field("prefix"));
            String scope = prefix != null && !prefix.isEmpty() ? prefix : location;
            if (scope == null || scope.isEmpty()) {
                problems.error(registry, "a [[registry]] needs a location or a prefix");
                continue;
            }
            if (reader.bool(registry.field("insecure")) && location != null && !location.isEmpty()) {
                insecure.addAll(insecureEntriesOf(List.of(location.split("/", 2)[0]), registry.field("location")));
            }
            if (reader.bool(registry.field("blocked"))) {
                blockedHosts.add(scope);
                blockedAt.add(registry.field(prefix != null && !prefix.isEmpty() ? "prefix" : "location"));
            }
        }
        if (!blockedHosts.isEmpty()) {
            rules.addAll(rules("registries-conf-blocked", true, blockedHosts, blockedAt, root.field("registry")));
        }
        return PolicyFragment.ofRegistrySources(root.source(), rules, search, List.of(), List.copyOf(insecure));
    }

    /**
     * The 3.x docker daemon's {@code /etc/containers/registries.conf}: {@code registries} are searched in order,
     * {@code block_registries: [all]} blocks every registry but those listed (and the insecure ones), {@code public}
     * is Docker Hub.
     */
    private PolicyFragment dockerDaemon(Located root) {
        checkKnown(root, DAEMON_FIELDS);
        Located registries = root.field("registries");
        Setting<List<String>> search = searchRegistries(registries);
        List<String> insecure = insecureEntries(root.field("insecure_registries"));
        List<Setting<ExecutionRule>> rules = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        List<Located> blockedAt = new ArrayList<>();
        boolean all = false;
        Located blockAt = root.field("block_registries");
        for (Located entry : reader.list(blockAt, "a list of registries, or [all]")) {
            String value = reader.text(entry);
            if (value == null || value.isBlank()) {
                continue;
            }
            if (value.equals("all")) {
                all = true;
            } else {
                blocked.add(value.equals("public") ? "docker.io" : value);
                blockedAt.add(entry);
            }
        }
        if (all) {
            List<String> allowed = new ArrayList<>();
            List<Located> allowedAt = new ArrayList<>();
            for (String field : List.of("registries", "insecure_registries")) {
                for (Located entry : reader.list(root.field(field), "a list of registries")) {
                    String value = reader.text(entry);
                    if (value != null && !value.isBlank() && !allowed.contains(value)) {
                        allowed.add(value);
                        allowedAt.add(entry);
                    }
                }
            }
            if (allowed.isEmpty()) {
                problems.error(blockAt, "block_registries: [all] with no registries listed blocks every image;"
                        + " list the registries to allow under registries:");
            } else {
                rules.addAll(rules("registries-conf-allowed", false, allowed, allowedAt, blockAt));
            }
        }
        if (!blocked.isEmpty()) {
            rules.addAll(rules("registries-conf-blocked", true, blocked, blockedAt, blockAt));
        }
        return PolicyFragment.ofRegistrySources(root.source(), rules, search, List.of(), insecure);
    }

    /**
     * {@code imagePolicyConfig.allowedRegistriesForImport} and the 4.x {@code spec.allowedRegistriesForImport}:
     * a list of {@code {domainName, insecure}}.
     */
    List<Setting<ImportPattern>> imports(Located at) {
        List<Setting<ImportPattern>> out = new ArrayList<>();
        for (Located entry : reader.list(at, "a list of {domainName, insecure}")) {
            if (!reader.object(entry, "{domainName, insecure}")) {
                continue;
            }
            checkKnown(entry, LOCATION_FIELDS);
            Located name = entry.field("domainName");
            String domain = reader.text(name);
            if (domain == null) {
                problems.error(entry, "domainName is required; write the registry host, as in {domainName: quay.io}");
                continue;
            }
            try {
                out.add(Setting.at(ImportPattern.parse(domain, reader.bool(entry.field("insecure"))), name));
            } catch (IllegalArgumentException e) {
                problems.error(name, e.getMessage());
            }
        }
        return out;
    }

    /** The import policy of a 3.x {@code imagePolicyConfig}, with its integrated registry hostname. */
    PolicyFragment imagePolicyConfig(Located config) {
        if (!reader.object(config, "imagePolicyConfig, an object")) {
            return null;
        }
        checkKnown(config, IMAGE_POLICY_CONFIG_FIELDS);
        List<HostPattern> integrated = hostnames(config.field("internalRegistryHostname"));
        return new PolicyFragment(config.source(), null, null, List.of(), integrated, null, null, Set.of(), null,
                imports(config.field("allowedRegistriesForImport")), List.of());
    }

    /** 4.x entries: {@code host}, {@code host:port}, {@code *.domain}, or a repository scope {@code host[:port]/path}. */
    private List<Setting<ExecutionRule>> entryRules(String name, boolean reject, Located list) {
        List<String> values = new ArrayList<>();
        List<Located> where = new ArrayList<>();
        for (Located entry : reader.list(list, "a list of registries")) {
            String value = reader.text(entry);
            if (value != null) {
                values.add(value);
                where.add(entry);
            }
        }
        return values.isEmpty() ? List.of() : rules(name, reject, values, where, list);
    }

    /**
     * One rule for whole registries and one for repository scopes: the conditions of a rule are ANDed, and an
     * image must match either kind of entry. A scope {@code host/path} covers that repository and all below it.
     */
    private List<Setting<ExecutionRule>> rules(String name, boolean reject, List<String> entries, List<Located> where, Located ruleAt) {
        List<HostPattern> hosts = new ArrayList<>();
        List<RepositoryPattern> repositories = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            try {
                int slash = entry.indexOf('/');
                if (slash < 0) {
                    hosts.add(HostPattern.parse(entry));
                } else {
                    String scope = entry.replaceAll("/+$", "");
                    int pin = Math.max(scope.indexOf('@'), scope.indexOf(':', scope.lastIndexOf('/')));
                    if (scope.indexOf('/') < 0) {
                        hosts.add(HostPattern.parse(scope));
                    } else if (pin > scope.lastIndexOf('/')) {
                        // A scope may name one tag or digest (policy.json allows it); rules name repositories only.
                        String repository = scope.substring(0, scope.indexOf('@') > 0 ? scope.indexOf('@') : pin);
                        repositories.add(RepositoryPattern.parse(repository));
                        problems.warning(where.get(i), "\"" + entry + "\" names one " + (scope.indexOf('@') > 0 ? "digest" : "tag")
                                + "; the webhook's rules name repositories, so this " + (reject ? "blocks" : "allows") + " every tag"
                                + " and digest of " + repository + (reject ? "" : " (the nodes still allow only this one)"));
                    } else {
                        repositories.add(RepositoryPattern.parse(scope));
                        repositories.add(RepositoryPattern.parse(scope + "/**"));
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.error(where.get(i), e.getMessage());
            }
        }
        List<Setting<ExecutionRule>> out = new ArrayList<>(2);
        if (!hosts.isEmpty()) {
            out.add(Setting.at(rule(name, reject, hosts, List.of()), ruleAt));
        }
        if (!repositories.isEmpty()) {
            out.add(Setting.at(rule(name + "-repositories", reject, List.of(), repositories), ruleAt));
        }
        return out;
    }

    private static ExecutionRule rule(String name, boolean reject, List<HostPattern> hosts, List<RepositoryPattern> repositories) {
        return new ExecutionRule(name, reject, RUNTIME_RESOURCES, false, false, false, hosts, repositories, false,
                List.of(), List.of(), List.of(), Enforcement.Deny);
    }

    private Setting<List<String>> searchRegistries(Located at) {
        if (at.absent()) {
            return null;
        }
        List<String> keys = registryKeys(at);
        return keys.isEmpty() ? null : Setting.at(keys, at);
    }

    List<String> registryKeys(Located at) {
        List<String> values = new ArrayList<>();
        List<Located> where = new ArrayList<>();
        for (Located entry : reader.list(at, "a list of registries")) {
            String value = reader.text(entry);
            if (value != null) {
                values.add(value);
                where.add(entry);
            }
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            for (String key : registryKeysOf(List.of(values.get(i)), where.get(i))) {
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /**
     * Insecure registries: canonical keys, and {@code *.domain[:port]} wildcards (4.x insecureRegistries and
     * registries.conf locations allow them), which lookups match by registry identity as rules do.
     */
    List<String> insecureEntries(Located at) {
        List<String> entries = new ArrayList<>();
        for (Located entry : reader.list(at, "a list of registries")) {
            String value = reader.text(entry);
            if (value != null) {
                for (String e : insecureEntriesOf(List.of(value), entry)) {
                    if (!entries.contains(e)) {
                        entries.add(e);
                    }
                }
            }
        }
        return entries;
    }

    private List<String> insecureEntriesOf(List<String> values, Located at) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            try {
                String written = value.strip().replaceAll("/.*$", "");
                HostPattern host = HostPattern.parse(written);
                String writtenHost = written.toLowerCase(java.util.Locale.ROOT).replaceAll(":[0-9]+$", "");
                if (!host.wildcard() && host.host().equals(org.imagepolicy.webhook.image.ImageReference.DOCKER_HUB)
                        && !writtenHost.equals(org.imagepolicy.webhook.image.ImageReference.DOCKER_HUB)) {
                    // The nodes compare entries with the image's registry as written, and Docker Hub's is docker.io.
                    problems.warning(at, "\"" + value + "\" is another name of Docker Hub; the nodes compare insecure entries"
                            + " with docker.io, so it leaves Docker Hub verified, and it is ignored here; write docker.io"
                            + " to make Docker Hub insecure");
                    continue;
                }
                if (host.wildcard() && host.host().indexOf('.') < 0) {
                    // The nodes accept it too; say what it means here, where it turns TLS verification off.
                    problems.warning(at, "\"" + value + "\" makes every registry under ." + host.host() + " insecure:"
                            + " lookups there accept any certificate or plain HTTP; name the registries, or a narrower domain");
                }
                out.add(host.canonical());
            } catch (IllegalArgumentException e) {
                problems.error(at, e.getMessage());
            }
        }
        return out;
    }

    /** Registries named one by one (search lists); a wildcard cannot be one key, so it is reported. */
    private List<String> registryKeysOf(List<String> values, Located at) {
        List<String> keys = new ArrayList<>();
        for (String value : values) {
            try {
                HostPattern host = HostPattern.parse(value.strip().replaceAll("/.*$", ""));
                if (host.wildcard()) {
                    problems.warning(at, "\"" + value + "\" is a wildcard; a search list names registries one by one,"
                            + " so it is ignored here");
                } else {
                    keys.add(host.key());
                }
            } catch (IllegalArgumentException e) {
                problems.error(at, e.getMessage());
            }
        }
        return keys;
    }

    private List<HostPattern> hostnames(Located at) {
        List<HostPattern> out = new ArrayList<>();
        List<Located> entries = at.node.isArray() ? reader.list(at, "a list of hostnames") : at.absent() ? List.of() : List.of(at);
        for (Located entry : entries) {
            String value = reader.text(entry);
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                out.add(HostPattern.parse(value.strip()));
            } catch (IllegalArgumentException e) {
                problems.error(entry, e.getMessage());
            }
        }
        return out;
    }

    private void checkKnown(Located object, List<String> known) {
        if (!object.node.isObject()) {
            return;
        }
        for (String name : object.fieldNames()) {
            if (!known.contains(name)) {
                String hint = known.stream().filter(k -> near(k, name)).findFirst()
                        .map(k -> "; did you mean " + k + "?").orElse("; known fields: " + String.join(", ", known));
                problems.error(object.field(name), "unknown field \"" + name + "\"" + hint);
            }
        }
    }

    /** A likely misspelling: the same but for case, '_' for '-', or at most two edits. */
    private static boolean near(String known, String name) {
        String a = known.toLowerCase(Locale.ROOT).replace('_', '-');
        String b = name.toLowerCase(Locale.ROOT).replace('_', '-');
        if (Math.abs(a.length() - b.length()) > 2) {
            return false;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()] <= 2;
    }
}
