package org.imagepolicy.webhook.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;
import org.imagepolicy.webhook.server.RequestContext;

/**
 * Each admission's namespace exemptions and pull credentials, from what the informers last saw: the
 * pod's own pull secrets, then its service account's, then the global ones (the {@code --registry-auth}
 * files, then {@code --global-pull-secret}), as the kubelet orders them. Reads memory only.
 */
public final class ClusterContext implements RequestContext {
    private final ClusterState state;
    private final CredentialSource files;
    private final SecretRef globalPullSecret;
    private final BooleanSupplier synced;
    private final Set<String> namespaces;

    /** @param namespaces the namespaces the informers read; empty for all */
    ClusterContext(ClusterState state, CredentialSource files, SecretRef globalPullSecret, BooleanSupplier synced, List<String> namespaces) {
        this.namespaces = Set.copyOf(namespaces);
        this.state = state;
        this.files = files;
        this.globalPullSecret = globalPullSecret;
        this.synced = synced;
    }

    @Override
    public Set<String> excludedRules(AdmissionInput in) {
        return in.namespace() == null || in.namespace().isEmpty() ? Set.of() : state.ignoredRules(in.namespace());
    }

    @Override
    public PullCredentials credentials(AdmissionInput in) {
        String namespace = in.namespace() == null ? "" : in.namespace();
        PullSecretReferences refs = namespace.isEmpty() ? PullSecretReferences.NONE : PullSecretReferences.of(in);
        Gathered g = new Gathered();
        if (!namespaces.isEmpty() && !namespace.isEmpty() && !namespaces.contains(namespace) && refs != PullSecretReferences.NONE) {
            // Nothing of this namespace was read: say so rather than "not found", which would send people hunting.
            g.notes.add("namespace " + namespace + " is not one the webhook reads (--cluster-namespace), so only global credentials were used");
            refs = PullSecretReferences.NONE;
        }
        for (String name : refs.secrets()) {
            g.add(new SecretRef(namespace, name), state);
        }
        if (refs.serviceAccount() != null) {
            List<String> linked = state.serviceAccountSecrets(namespace, refs.serviceAccount());
            if (linked == null) {
                g.notes.add("service account " + namespace + "/" + refs.serviceAccount() + " not found");
            } else {
                for (String name : linked) {
                    g.add(new SecretRef(namespace, name), state);
                }
            }
        }
        if (files != CredentialSource.anonymous()) {
            g.sources.add(files);
            g.identity.append("files;");
        }
        if (globalPullSecret != null) {
            g.add(globalPullSecret, state);
        }
        return new PullCredentials(CredentialSource.combine(g.sources), g.identity.toString(), g.notes);
    }

    @Override
    public boolean ready() {
        return synced.getAsBoolean();
    }

    /** The sources in order, their content's names, and what was missing. */
    private static final class Gathered {
        final List<CredentialSource> sources = new ArrayList<>();
        final StringBuilder identity = new StringBuilder();
        final List<String> notes = new ArrayList<>();
        final Set<SecretRef> seen = new HashSet<>();

        void add(SecretRef ref, ClusterState state) {
            if (!seen.add(ref)) {
                return; // linked to the account and named by the pod: tried once, at its first place
            }
            PullSecret s = state.secret(ref.namespace(), ref.name());
            if (s == null) {
                notes.add("pull secret " + ref + " not found");
            } else if (s.problem() != null) {
                notes.add(s.problem());
            } else {
                sources.add(s.credentials());
                identity.append(ref).append('@').append(s.contentDigest()).append(';');
            }
        }
    }
}
