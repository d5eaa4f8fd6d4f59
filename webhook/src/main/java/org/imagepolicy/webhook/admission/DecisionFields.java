package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.core.filter.TokenFilter;
import java.util.Set;

/**
 * The fields a decision reads, by name, so the request tree is built from them alone: container env,
 * resources, volumes, status, managedFields and kubectl's last-applied-configuration annotation (often
 * the biggest part of a request) are skipped while parsing instead of being allocated and dropped.
 * Keeping a field of the same name elsewhere is harmless; every name read anywhere must be listed.
 */
final class DecisionFields extends TokenFilter {
    private static final Set<String> NAMES = Set.of(
            // AdmissionReview and AdmissionRequest
            "apiVersion", "kind", "request", "uid", "operation", "resource", "requestResource", "group", "version",
            "subResource", "requestSubResource", "namespace", "name", "dryRun", "object", "oldObject",
            // object metadata and templates
            "metadata", "generateName", "annotations", "ownerReferences", "controller", "spec", "template", "jobTemplate",
            // pod specs
            "initContainers", "containers", "ephemeralContainers", "image",
            // DeploymentConfig image triggers
            "triggers", "type", "imageChangeParams", "containerNames",
            // Build and BuildConfig
            "source", "images", "strategy", "customStrategy", "dockerStrategy", "sourceStrategy",
            // whose pull credentials lookups use (serve --cluster): pods and templates, builds
            "imagePullSecrets", "serviceAccountName", "serviceAccount", "pullSecret",
            // ImageStream, ImageStreamImport, ImageStreamTag and ImageTag (the import policy); "from" is kept whole below
            "tags", "importPolicy", "insecure", "dockerImageRepository", "repository", "tag");

    static final DecisionFields INSTANCE = new DecisionFields();

    /** Only the annotations that change what names mean; the rest can be large and are never read. */
    private static final TokenFilter INSECURE_REPOSITORY_TOO = new TokenFilter() {
        @Override
        public TokenFilter includeProperty(String name) {
            return ReferenceExtractor.RESOLVE_NAMES.equals(name) || ImportCheck.INSECURE_REPOSITORY.equals(name)
                    ? TokenFilter.INCLUDE_ALL : null;
        }
    };

    /**
     * An ImageStream's {@code status.tags[].items[].dockerImageReference} and {@code status.tags[].tag}: what an
     * UPDATE may keep, and what a status UPDATE adds (pod status, often large, yields nothing).
     */
    private static final TokenFilter STATUS_REFERENCES = new TokenFilter() {
        @Override
        public TokenFilter includeProperty(String name) {
            return switch (name) {
                case "tags", "items" -> this;
                case "tag" -> TokenFilter.INCLUDE_ALL; // which spec tag's import policy an imported reference follows
                case "dockerImageReference" -> TokenFilter.INCLUDE_ALL;
                default -> null;
            };
        }

        @Override
        public TokenFilter includeElement(int index) {
            return this;
        }
    };

    private DecisionFields() {
    }

    @Override
    public TokenFilter includeProperty(String name) {
        if ("from".equals(name)) {
            return TokenFilter.INCLUDE_ALL; // compared whole on UPDATE, as upstream compares the struct
        }
        if ("annotations".equals(name)) {
            return INSECURE_REPOSITORY_TOO;
        }
        if ("status".equals(name)) {
            return STATUS_REFERENCES;
        }
        return NAMES.contains(name) ? this : null;
    }

    @Override
    public TokenFilter includeElement(int index) {
        return this;
    }

    @Override
    protected boolean _includeScalar() {
        return true;
    }
}
