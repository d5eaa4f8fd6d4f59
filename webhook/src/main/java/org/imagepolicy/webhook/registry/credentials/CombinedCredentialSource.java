package org.imagepolicy.webhook.registry.credentials;

import java.util.ArrayList;
import java.util.List;

/** Several sources asked in order; see {@link CredentialSource#combine(List)}. */
record CombinedCredentialSource(List<CredentialSource> sources) implements CredentialSource {

    CombinedCredentialSource {
        sources = List.copyOf(sources);
    }

    @Override
    public List<Credential> credentialsFor(String registryHost, String repositoryPath) {
        List<Credential> all = new ArrayList<>();
        for (CredentialSource source : sources) {
            all.addAll(source.credentialsFor(registryHost, repositoryPath));
        }
        return List.copyOf(all);
    }
}
