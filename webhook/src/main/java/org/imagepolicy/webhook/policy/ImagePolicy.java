package org.imagepolicy.webhook.policy;

import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;

/**
 * A validated, defaulted {@code ImagePolicyConfig}: immutable, built once per load and swapped whole.
 * The last five fields are this project's additions to OpenShift's schema.
 *
 * @param defaultRegistry registry assumed for unqualified images, or {@code null} to leave them unqualified
 * @param unqualifiedSearchRegistries registry keys a node may pull an unqualified image from, in order (CRI-O's
 *        {@code unqualified-search-registries}); empty when not set
 * @param allowedRegistriesForImport the registries ImageStreams and ImageStreamImports may import from (OpenShift's
 *        {@code imagePolicyConfig.allowedRegistriesForImport}); empty allows every registry, as upstream
 * @param insecureRegistries registry keys and {@code *.domain[:port]} wildcards a cluster image configuration or
 *        registries.conf marks insecure, which lookups may reach over plain HTTP or unverified TLS
 */
public record ImagePolicy(
        ResolutionType resolveImages,
        List<ResolutionRule> resolutionRules,
        List<ExecutionRule> executionRules,
        List<HostPattern> integratedRegistryHostnames,
        String defaultRegistry,
        Set<String> exemptNamespaces,
        boolean skipControllerOwned,
        List<String> unqualifiedSearchRegistries,
        List<org.imagepolicy.webhook.image.ImportPattern> allowedRegistriesForImport,
        List<String> insecureRegistries) {

    public ImagePolicy {
        allowedRegistriesForImport = List.copyOf(allowedRegistriesForImport);
        insecureRegistries = List.copyOf(insecureRegistries);
        unqualifiedSearchRegistries = List.copyOf(unqualifiedSearchRegistries);
        resolutionRules = List.copyOf(resolutionRules);
        executionRules = List.copyOf(executionRules);
        integratedRegistryHostnames = List.copyOf(integratedRegistryHostnames);
        exemptNamespaces = Set.copyOf(exemptNamespaces);
    }

    /** The same policy with extra integrated registries and exempt namespaces from the command line. */
    public ImagePolicy withServerSettings(List<HostPattern> moreIntegrated, Set<String> moreExempt) {
        if (moreIntegrated.isEmpty() && moreExempt.isEmpty()) {
            return this;
        }
        List<HostPattern> integrated = new java.util.ArrayList<>(integratedRegistryHostnames);
        integrated.addAll(moreIntegrated);
        Set<String> exempt = new java.util.HashSet<>(exemptNamespaces);
        exempt.addAll(moreExempt);
        return new ImagePolicy(resolveImages, resolutionRules, executionRules, integrated, defaultRegistry, exempt,
                skipControllerOwned, unqualifiedSearchRegistries, allowedRegistriesForImport, insecureRegistries);
    }

    /**
     * The registries an image that names none may come from, each judged: the search registries, or
     * {@code defaultRegistry} as the one-candidate form; empty keeps upstream's reading (no registry).
     */
    public List<String> unqualifiedCandidates() {
        if (!unqualifiedSearchRegistries.isEmpty()) {
            return unqualifiedSearchRegistries;
        }
        return defaultRegistry == null ? List.of() : List.of(org.imagepolicy.webhook.image.RegistryName.canonical(defaultRegistry));
    }
}
