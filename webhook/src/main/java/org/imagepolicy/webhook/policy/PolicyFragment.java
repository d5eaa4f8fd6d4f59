package org.imagepolicy.webhook.policy;

import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;

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
        Setting<Boolean> skipControllerOwned) {

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
