package org.imagepolicy.webhook.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;

/** Cluster objects for the tests, built with fabric8's own model classes, and AdmissionReviews around them. */
final class ClusterFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ClusterFixture() {
    }

    /** A {@code kubernetes.io/dockerconfigjson} secret with one {@code auths} entry per host. */
    static Secret pullSecret(String namespace, String name, Map<String, String[]> userAndPasswordByHost) {
        ObjectNode auths = JSON.createObjectNode();
        userAndPasswordByHost.forEach((host, up) -> auths.putObject(host).put("auth",
                Base64.getEncoder().encodeToString((up[0] + ":" + up[1]).getBytes(StandardCharsets.UTF_8))));
        ObjectNode config = JSON.createObjectNode();
        config.set("auths", auths);
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", Base64.getEncoder().encodeToString(config.toString().getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    static Secret pullSecret(String namespace, String name, String host, String user, String password) {
        return pullSecret(namespace, name, Map.of(host, new String[] {user, password}));
    }

    static void namespace(MockApi api, String name, String ignoreRules) {
        NamespaceBuilder ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata();
        if (ignoreRules != null) {
            ns.editMetadata().addToAnnotations("alpha.image.policy.openshift.io/ignore-rules", ignoreRules).endMetadata();
        }
        api.create(ns.build());
    }

    static void serviceAccount(MockApi api, String namespace, String name, String... pullSecrets) {
        ServiceAccountBuilder sa = new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata();
        for (String s : pullSecrets) {
            sa.addNewImagePullSecret(s);
        }
        api.create(sa.build());
    }

    static Pod pod(String namespace, String image, String... imagePullSecrets) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace(namespace).withName("web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec();
        for (String s : imagePullSecrets) {
            pod.editSpec().addNewImagePullSecret(s).endSpec();
        }
        return pod.build();
    }

    /** An admission.k8s.io/v1 CREATE review of the object, addressed to {@code group/version/resource}. */
    static byte[] review(HasMetadata object, String group, String version, String resource) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString()).put("operation", "CREATE")
                .put("name", object.getMetadata().getName()).put("namespace", object.getMetadata().getNamespace());
        request.putObject("kind").put("group", group).put("version", version).put("kind", object.getKind());
        request.putObject("resource").put("group", group).put("version", version).put("resource", resource);
        request.set("object", readTree(SERIALIZATION.asJson(object)));
        return review.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] review(Pod pod) {
        return review(pod, "", "v1", "pods");
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certs.d tree trusting each registry's CA, and its token server's when it has one. */
    static Path certsD(Path dir, List<LocalRegistry> registries) throws Exception {
        Path certsD = Files.createDirectories(dir.resolve("certs.d"));
        for (LocalRegistry r : registries) {
            Files.writeString(Files.createDirectories(certsD.resolve(r.host())).resolve("ca.crt"), r.caPem());
            if (r.variant() == LocalRegistry.Variant.TOKEN) {
                java.net.URI realm = r.tokenServer().realm();
                Files.writeString(Files.createDirectories(certsD.resolve(realm.getHost() + ":" + realm.getPort())).resolve("ca.crt"), r.caPem());
            }
        }
        return certsD;
    }
}
