package org.imagepolicy.webhook.cluster;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.imagepolicy.webhook.registry.credentials.CredentialIdentity;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import org.imagepolicy.webhook.registry.credentials.DockerConfigCredentials;
import org.imagepolicy.webhook.registry.credentials.DockerConfigFormat;

/**
 * What the informers have seen, reduced to what decisions read: parsed pull secrets, each service
 * account's pull secret names, each namespace's ignored rules. Written by the informers' own threads,
 * read by admissions on the event loops without locks or waiting.
 */
final class ClusterState {
    static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    static final String DOCKERCFG = "kubernetes.io/dockercfg";

    private final Map<String, PullSecret> secrets = new ConcurrentHashMap<>();
    private final Map<String, List<String>> serviceAccounts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> ignoredRules = new ConcurrentHashMap<>();

    PullSecret secret(String namespace, String name) {
        return secrets.get(namespace + "/" + name);
    }

    /** The pull secret names linked to a service account, or {@code null} when the account is unknown. */
    List<String> serviceAccountSecrets(String namespace, String name) {
        return serviceAccounts.get(namespace + "/" + name);
    }

    Set<String> ignoredRules(String namespace) {
        return ignoredRules.getOrDefault(namespace, Set.of());
    }

    int secrets() {
        return secrets.size();
    }

    int serviceAccounts() {
        return serviceAccounts.size();
    }

    int namespaces() {
        return ignoredRules.size();
    }

    void put(Secret s) {
        String type = s.getType();
        String namespace = s.getMetadata().getNamespace();
        String name = s.getMetadata().getName();
        if (!DOCKER_CONFIG_JSON.equals(type) && !DOCKERCFG.equals(type)) {
            secrets.remove(namespace + "/" + name); // its type cannot change, but a server may ignore our field selector
            return;
        }
        secrets.put(namespace + "/" + name, parse(namespace, name, type, s.getData()));
    }

    void removeSecret(String namespace, String name) {
        secrets.remove(namespace + "/" + name);
    }

    void put(ServiceAccount sa) {
        List<String> names = new ArrayList<>();
        if (sa.getImagePullSecrets() != null) {
            for (LocalObjectReference ref : sa.getImagePullSecrets()) {
                if (ref != null && ref.getName() != null && !ref.getName().isEmpty() && !names.contains(ref.getName())) {
                    names.add(ref.getName());
                }
            }
        }
        serviceAccounts.put(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName(), List.copyOf(names));
    }

    void removeServiceAccount(String namespace, String name) {
        serviceAccounts.remove(namespace + "/" + name);
    }

    void put(Namespace ns) {
        Map<String, String> annotations = ns.getMetadata().getAnnotations();
        ignoredRules.put(ns.getMetadata().getName(), NamespaceRules.parse(annotations == null ? null : annotations.get(NamespaceRules.IGNORE_RULES)));
    }

    void removeNamespace(String name) {
        ignoredRules.remove(name);
    }

    /** Never throws: a broken secret is kept as its problem, so a pod referencing it is told why. */
    static PullSecret parse(String namespace, String name, String type, Map<String, String> data) {
        DockerConfigFormat format = DOCKER_CONFIG_JSON.equals(type) ? DockerConfigFormat.CONFIG_JSON : DockerConfigFormat.DOCKERCFG;
        String ref = namespace + "/" + name;
        String encoded = data == null ? null : data.get(format.secretDataKey());
        if (encoded == null) {
            return new PullSecret(namespace, name, null, "", "pull secret " + ref + " of type " + type + " has no " + format.secretDataKey() + " key");
        }
        String json;
        try {
            json = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new PullSecret(namespace, name, null, "", "pull secret " + ref + " has a " + format.secretDataKey() + " that is not base64");
        }
        try {
            DockerConfigCredentials credentials = DockerConfigCredentials.parse("secret " + ref, json, format);
            return new PullSecret(namespace, name, credentials, CredentialIdentity.sha256(json), null);
        } catch (CredentialsException e) {
            return new PullSecret(namespace, name, null, "", "pull secret " + e.getMessage().replaceFirst("^secret ", ""));
        }
    }
}
