package org.imagepolicy.webhook.policy;

import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImportPattern;

/**
 * What one file contributed, before files are merged and defaults applied. Absent fields are
 * {@code null}: for {@code resolutionRules}, absent and empty mean different things upstream.
 */
record PolicyFragment(
        String source,
        Setting<String> resolveImages,
        List<Setting<ResolutionRule>> resolutionRules,
        List<Setting<ExecutionRule>> executionRules,
        List<HostPattern> integratedRegistryHostnames,
        Setting<String> defaultRegistry,
        Setting<List<String>> unqualifiedSearchRegistries,
        Set<String> exemptNamespaces,
        Setting<Boolean> skipControllerOwned,
        List<Setting<ImportPattern>> allowedRegistriesForImport,
        List<String> insecureRegistries) {

    /** A fragment with only execution rules and import entries: what the cluster's own registry settings give. */
    static PolicyFragment ofRegistrySources(String source, List<Setting<ExecutionRule>> rules, Setting<List<String>> searchRegistries,
            List<Setting<ImportPattern>> imports, List<String> insecure) {
        return new PolicyFragment(source, null, null, rules, List.of(), null, searchRegistries, Set.of(), null, imports, insecure);
    }

    /** This fragment with another's integrated registries and import policy: one file that carries both. */
    PolicyFragment with(PolicyFragment imports) {
        List<HostPattern> integrated = new java.util.ArrayList<>(integratedRegistryHostnames);
        integrated.addAll(imports.integratedRegistryHostnames());
        List<Setting<ImportPattern>> allowed = new java.util.ArrayList<>(allowedRegistriesForImport);
        allowed.addAll(imports.allowedRegistriesForImport());
        return new PolicyFragment(source, resolveImages, resolutionRules, executionRules, integrated, defaultRegistry,
                unqualifiedSearchRegistries, exemptNamespaces, skipControllerOwned, allowed, insecureRegistries);
    }

    /** A value with the place it was written, for problems found only once files are merged. */
    record Setting<T>(T value, String source, int line, String path) {
        static <T> Setting<T> at(T value, Located where) {
            return new Setting<>(value, where.source(), where.line(), where.path);
        }

        String place() {
            return source + ":" + line;
        }
    }
}
