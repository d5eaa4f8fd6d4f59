package org.imagepolicy.webhook.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.imagepolicy.webhook.testing.Project;

/**
 * The import policy's three configuration sources, verbatim from {@code policy-sources/}, each with an
 * image it lets ImageStreams import and one it refuses; and the ImageStream and ImageStreamImport objects
 * the tests send, shaped as {@code oc} sends them.
 */
final class ImportPolicyCases {
    record Source(String name, String file, String allowed, String denied, String deniedRegistry, String listed,
            String integrated) {
        String text() {
            try {
                return Files.readString(Project.root().resolve("webhook/src/test/resources/policy-sources/" + file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Source> sources() {
        return List.of(
                new Source("3.x master-config.yaml imagePolicyConfig", "master-config-3x-image-policy-and-import-policy.yaml",
                        "registry.access.redhat.com/rhel7/rhel:7.9", "quay.io/org/app:1", "quay.io:443",
                        "docker.io:443, *.docker.io:443, *.redhat.com:443, my.registry.example.com:443",
                        "docker-registry.default.svc:5000/shop/web:1"),
                new Source("openshift_master_image_policy_config JSON", "installer-image-policy-config-json.json",
                        "registry-1.docker.io/library/nginx:1.25", "quay.io/org/app:1", "quay.io:443",
                        "docker.io:443, *.docker.io:443, *.redhat.com:443, my.registry.example.com:443", null),
                new Source("4.x config.openshift.io/v1 Image cluster", "image-config-allowed-registries-insecure-search-and-imports.yaml",
                        "quay.io/org/app:1", "docker.io/library/nginx:1.25", "docker.io:443",
                        "quay.io:443, registry.redhat.io:443, *.example.com:443, registry.lab.example.net:5000",
                        "image-registry.openshift-image-registry.svc:5000/shop/web:1"));
    }

    private ImportPolicyCases() {
    }

    /** An ImageStream whose {@code spec.tags[i]} import the given images, by tag name t0, t1, ... */
    static ObjectNode imageStream(String... images) {
        ObjectNode is = Conformance.object("image.openshift.io/v1", "ImageStream", "app");
        ObjectNode spec = is.putObject("spec");
        spec.putObject("lookupPolicy").put("local", false);
        ArrayNode tags = spec.putArray("tags");
        for (int i = 0; i < images.length; i++) {
            ObjectNode tag = tags.addObject();
            tag.put("name", "t" + i);
            tag.putObject("annotations");
            ObjectNode from = tag.putObject("from");
            from.put("kind", "DockerImage");
            from.put("name", images[i]);
            tag.putObject("importPolicy");
            tag.putObject("referencePolicy").put("type", "Source");
        }
        return is;
    }

    static ObjectNode insecureTag(ObjectNode imageStream, int index) {
        ((ObjectNode) imageStream.path("spec").path("tags").get(index).path("importPolicy")).put("insecure", true);
        return imageStream;
    }

    /** An ImageStreamTag {@code app:t0} tagging the image ({@code oc create imagestreamtag app:t0 --from-image=IMAGE}). */
    static ObjectNode imageStreamTag(String image) {
        ObjectNode ist = Conformance.object("image.openshift.io/v1", "ImageStreamTag", "app:t0");
        tagReference(ist.putObject("tag"), image);
        ist.putNull("image");
        ist.putNull("lookupPolicy");
        return ist;
    }

    /** An ImageTag {@code app:t0} whose spec tags the image (the image.openshift.io/v1 ImageTag, OpenShift 4.8 and later). */
    static ObjectNode imageTag(String image) {
        ObjectNode itag = Conformance.object("image.openshift.io/v1", "ImageTag", "app:t0");
        tagReference(itag.putObject("spec"), image);
        itag.putNull("status");
        itag.putNull("image");
        return itag;
    }

    private static void tagReference(ObjectNode tag, String image) {
        tag.put("name", "t0");
        tag.putNull("annotations");
        tag.putObject("from").put("kind", "DockerImage").put("name", image);
        tag.putObject("importPolicy");
        tag.putObject("referencePolicy").put("type", "Source");
    }

    /** The ImageStream with a status: tag t0's history is the given references, newest first, as the import controller writes it. */
    static ObjectNode withStatus(ObjectNode imageStream, String... references) {
        ObjectNode status = imageStream.putObject("status");
        status.put("dockerImageRepository", "image-registry.openshift-image-registry.svc:5000/default/app");
        ObjectNode tag = status.putArray("tags").addObject();
        tag.put("tag", "t0");
        ArrayNode items = tag.putArray("items");
        for (String reference : references) {
            items.addObject().put("created", "2024-05-02T14:03:19Z").put("dockerImageReference", reference)
                    .put("image", "sha256:" + "0".repeat(63) + "1").put("generation", 1);
        }
        return imageStream;
    }

    /** An ImageStreamImport of single images ({@code oc import-image app --from=IMAGE --confirm}). */
    static ObjectNode imageStreamImport(boolean insecure, String... images) {
        ObjectNode isi = Conformance.object("image.openshift.io/v1", "ImageStreamImport", "app");
        ObjectNode spec = isi.putObject("spec");
        spec.put("import", true);
        ArrayNode list = spec.putArray("images");
        for (String image : images) {
            ObjectNode entry = list.addObject();
            entry.putObject("from").put("kind", "DockerImage").put("name", image);
            entry.putObject("to").put("name", "latest");
            entry.putObject("importPolicy").put("insecure", insecure);
            entry.putObject("referencePolicy").put("type", "");
        }
        isi.putObject("status");
        return isi;
    }

    /** An ImageStreamImport of a whole repository ({@code oc import-image app --from=REPO --all}). */
    static ObjectNode repositoryImport(String repository) {
        ObjectNode isi = Conformance.object("image.openshift.io/v1", "ImageStreamImport", "app");
        ObjectNode spec = isi.putObject("spec");
        spec.put("import", true);
        ObjectNode repo = spec.putObject("repository");
        repo.putObject("from").put("kind", "DockerImage").put("name", repository);
        repo.putObject("importPolicy");
        return isi;
    }
}
