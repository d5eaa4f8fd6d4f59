package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.ImportPattern;
import org.imagepolicy.webhook.image.ImportPattern.Transport;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.RegistryName;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.Resources;

/**
 * The import policy ({@code allowedRegistriesForImport}) as openshift-apiserver validates it, on every write
 * that carries a DockerImage to import:
 * <ul>
 * <li>an ImageStream's {@code spec.dockerImageRepository} and every {@code spec.tags[].from} of kind DockerImage,
 * on CREATE and UPDATE, where an UPDATE may keep any repository the old stream already named (in spec or status);
 * <li>an ImageStream's {@code status} (UPDATE of {@code imagestreams/status}): every
 * {@code status.tags[].items[].dockerImageReference} the old status did not hold already;
 * <li>an ImageStreamTag's {@code tag.from} and an ImageTag's {@code spec.from} of kind DockerImage, on CREATE and
 * UPDATE, where an UPDATE may keep the repository the old tag named;
 * <li>an ImageStreamImport's {@code spec.repository.from} and {@code spec.images[].from} on CREATE.
 * </ul>
 * The integrated registry is always allowed. No registry is contacted: the registry a name points to decides.
 */
final class ImportCheck {
    static final String RULE = "allowedRegistriesForImport";
    static final String INSECURE_REPOSITORY = "openshift.io/image.insecureRepository";
    /** The ImageStream subresource the image import controller writes imported references to. */
    static final String STATUS = "status";

    /** A reference an import would pull, with the transport its import policy implies. */
    record ImportField(ImageField field, Transport transport) {
    }

    private ImportCheck() {
    }

    /** The references an import policy judges; on UPDATE, those whose repository the old stream lacked. */
    static List<ImportField> fields(AdmissionInput in) throws MalformedObjectException {
        JsonNode object = in.object();
        List<ImportField> out = new ArrayList<>();
        if (in.resource().equals(Resources.IMAGE_STREAM_TAGS)) {
            return tagReference(in, "tag");
        }
        if (in.resource().equals(Resources.IMAGE_TAGS)) {
            return tagReference(in, "spec");
        }
        if (STATUS.equals(in.subResource())) {
            return statusReferences(in);
        }
        if (in.resource().equals(Resources.IMAGE_STREAM_IMPORTS)) {
            if (in.isUpdate()) {
                return out; // ImageStreamImport is create-only
            }
            JsonNode spec = object.path("spec");
            JsonNode repository = spec.path("repository");
            if (repository.isObject()) {
                addFrom(repository, "spec.repository", repository.path("importPolicy").path("insecure").asBoolean(false)
                        ? Transport.INSECURE : Transport.SECURE, out);
            }
            JsonNode images = list(spec, "images", "spec");
            for (int i = 0; i < images.size(); i++) {
                JsonNode image = images.get(i);
                addFrom(image, "spec.images[" + i + "]", image.path("importPolicy").path("insecure").asBoolean(false)
                        ? Transport.INSECURE : Transport.SECURE, out);
            }
            return out;
        }
        boolean insecureRepository = insecureRepository(object);
        Set<String> kept = in.isUpdate() && in.oldObject() != null ? oldRepositories(in.oldObject()) : Set.of();
        JsonNode spec = object.path("spec");
        JsonNode repo = spec.path("dockerImageRepository");
        if (repo.isTextual() && !repo.textValue().isEmpty()) {
            addIfNew(ImageField.dockerImage("spec.dockerImageRepository", repo.textValue()),
                    insecureRepository ? Transport.ANY : Transport.SECURE, kept, out);
        }
        JsonNode tags = list(spec, "tags", "spec");
        for (int i = 0; i < tags.size(); i++) {
            JsonNode from = tags.get(i).path("from");
            if (!"DockerImage".equals(from.path("kind").asText()) || !from.path("name").isTextual()) {
                continue;
            }
            boolean insecure = insecureRepository || tags.get(i).path("importPolicy").path("insecure").asBoolean(false);
            addIfNew(ImageField.dockerImage("spec.tags[" + i + "].from.name", from.path("name").textValue()),
                    insecure ? Transport.ANY : Transport.SECURE, kept, out);
        }
        return out;
    }

    /**
     * An ImageStreamTag's {@code tag} or an ImageTag's {@code spec}: one TagReference, insecure by its import
     * policy or the object's insecure-repository annotation; an UPDATE may keep the old tag's repository.
     */
    private static List<ImportField> tagReference(AdmissionInput in, String field) throws MalformedObjectException {
        List<ImportField> out = new ArrayList<>(1);
        JsonNode tag = in.object().path(field);
        if (tag.isMissingNode() || tag.isNull()) {
            return out;
        }
        if (!tag.isObject()) {
            throw new MalformedObjectException(field + " must be an object (a tag reference)");
        }
        JsonNode from = tag.path("from");
        if (!"DockerImage".equals(from.path("kind").asText()) || !from.path("name").isTextual() || from.path("name").textValue().isEmpty()) {
            return out;
        }
        Set<String> kept = new HashSet<>();
        if (in.isUpdate() && in.oldObject() != null) {
            JsonNode oldFrom = in.oldObject().path(field).path("from");
            if ("DockerImage".equals(oldFrom.path("kind").asText())) {
                addRepository(oldFrom.path("name"), kept);
            }
        }
        boolean insecure = insecureRepository(in.object()) || tag.path("importPolicy").path("insecure").asBoolean(false);
        addIfNew(ImageField.dockerImage(field + ".from.name", from.path("name").textValue()),
                insecure ? Transport.ANY : Transport.SECURE, kept, out);
        return out;
    }

    /**
     * An UPDATE of {@code imagestreams/status}: the references the new status holds that the old one did not
     * (compared as written, as upstream does), insecure by the stream's annotation or its spec tag's import policy.
     */
    private static List<ImportField> statusReferences(AdmissionInput in) throws MalformedObjectException {
        List<ImportField> out = new ArrayList<>();
        if (!in.isUpdate()) {
            return out;
        }
        Set<String> old = new HashSet<>();
        if (in.oldObject() != null) {
            for (JsonNode tag : in.oldObject().path("status").path("tags")) {
                for (JsonNode item : tag.path("items")) {
                    if (item.path("dockerImageReference").isTextual()) {
                        old.add(item.path("dockerImageReference").textValue());
                    }
                }
            }
        }
        JsonNode object = in.object();
        boolean insecureRepository = insecureRepository(object);
        Set<String> insecureTags = new HashSet<>();
        for (JsonNode tag : list(object.path("spec"), "tags", "spec")) {
            if (tag.path("importPolicy").path("insecure").asBoolean(false)) {
                insecureTags.add(tag.path("name").asText());
            }
        }
        JsonNode tags = list(object.path("status"), "tags", "status");
        for (int i = 0; i < tags.size(); i++) {
            JsonNode items = list(tags.get(i), "items", "status.tags[" + i + "]");
            boolean insecure = insecureRepository || insecureTags.contains(tags.get(i).path("tag").asText());
            for (int j = 0; j < items.size(); j++) {
                JsonNode ref = items.get(j).path("dockerImageReference");
                if (ref.isTextual() && !ref.textValue().isEmpty() && !old.contains(ref.textValue())) {
                    out.add(new ImportField(ImageField.dockerImage("status.tags[" + i + "].items[" + j + "].dockerImageReference",
                            ref.textValue()), insecure ? Transport.ANY : Transport.SECURE));
                }
            }
        }
        return out;
    }

    private static boolean insecureRepository(JsonNode object) {
        return "true".equals(object.path("metadata").path("annotations").path(INSECURE_REPOSITORY).asText());
    }

    /** Upstream judges an ImageStreamImport entry whatever its kind (validation allows only DockerImage). */
    private static void addFrom(JsonNode entry, String path, Transport transport, List<ImportField> out) {
        JsonNode name = entry.path("from").path("name");
        // "*" is what legacy clients send to look image streams up; upstream lets it through.
        if (name.isTextual() && !name.textValue().isEmpty() && !name.textValue().equals("*")) {
            out.add(new ImportField(ImageField.dockerImage(path + ".from.name", name.textValue()), transport));
        }
    }

    private static void addIfNew(ImageField field, Transport transport, Set<String> kept, List<ImportField> out) {
        String repository = repository(field.name());
        if (repository == null || !kept.contains(repository)) {
            out.add(new ImportField(field, transport));
        }
    }

    private static Set<String> oldRepositories(JsonNode old) {
        Set<String> out = new HashSet<>();
        addRepository(old.path("spec").path("dockerImageRepository"), out);
        for (JsonNode tag : old.path("spec").path("tags")) {
            if ("DockerImage".equals(tag.path("from").path("kind").asText())) {
                addRepository(tag.path("from").path("name"), out);
            }
        }
        for (JsonNode tag : old.path("status").path("tags")) {
            for (JsonNode item : tag.path("items")) {
                addRepository(item.path("dockerImageReference"), out);
            }
        }
        return out;
    }

    private static void addRepository(JsonNode name, Set<String> out) {
        if (name.isTextual()) {
            String repository = repository(name.textValue());
            if (repository != null) {
                out.add(repository);
            }
        }
    }

    /** Upstream's canonical repository: Docker Hub defaults applied, so {@code nginx} is {@code docker.io/library/nginx}. */
    private static String repository(String name) {
        try {
            return ImageReference.parse(name).canonicalRepository(ImageReference.DOCKER_HUB);
        } catch (InvalidImageReferenceException e) {
            return null;
        }
    }

    private static JsonNode list(JsonNode parent, String field, String path) throws MalformedObjectException {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!n.isArray()) {
            throw new MalformedObjectException(path + "." + field + " must be a list");
        }
        return n;
    }

    /** The violations of the import policy; none when the policy allows every registry (an empty list). */
    static List<Violation> judge(ImagePolicy policy, List<ImportField> fields) {
        List<Violation> out = new ArrayList<>(0);
        for (ImportField f : fields) {
            String reason = reason(policy, f);
            if (reason != null) {
                out.add(new Violation(f.field(), Enforcement.Deny, RULE, Violation.Kind.IMPORT_NOT_ALLOWED, reason));
            }
        }
        return out;
    }

    private static String reason(ImagePolicy policy, ImportField f) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(f.field().name());
        } catch (InvalidImageReferenceException e) {
            return "\"" + f.field().name() + "\" is not a valid image reference: " + e.getMessage();
        }
        String key = ref.qualified() ? ref.registryKey() : ImageReference.DOCKER_HUB;
        for (HostPattern integrated : policy.integratedRegistryHostnames()) {
            if (integrated.matches(key)) {
                return null;
            }
        }
        for (ImportPattern p : policy.allowedRegistriesForImport()) {
            if (p.allows(ref.registry(), f.transport())) {
                return null;
            }
        }
        String registry = ref.qualified() ? ref.registry() : ImageReference.DOCKER_HUB;
        int sep = registry.lastIndexOf(':');
        boolean writesPort = sep > registry.lastIndexOf(']');
        String dialled = writesPort ? registry : registry + ":" + switch (f.transport()) {
            case INSECURE -> "80";
            case ANY -> "80 or 443";
            default -> Integer.toString(RegistryName.DEFAULT_PORT);
        };
        return "importing " + f.field().display() + " from registry \"" + dialled + "\" is not allowed: images may be imported"
                + " only from " + policy.allowedRegistriesForImport().stream().map(ImportPattern::display).distinct()
                .collect(Collectors.joining(", ")) + " (" + RULE + (f.transport() == Transport.SECURE ? ""
                : f.transport() == Transport.INSECURE ? "; an insecure import uses port 80 unless the name gives one"
                : "; an insecure tag may use port 80 or 443") + "); import from one of these registries, or ask the cluster"
                + " administrators to add this one";
    }
}
