package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.assertAllowed;
import static org.imagepolicy.webhook.conformance.Conformance.assertDenied;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.decide;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.update;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.imageStream;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.imageStreamImport;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.imageStreamTag;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.imageTag;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.insecureTag;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.repositoryImport;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.withStatus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The import policy ({@code allowedRegistriesForImport}) as openshift-apiserver enforces it on ImageStream
 * CREATE and UPDATE, ImageStream status UPDATE, ImageStreamTag and ImageTag CREATE and UPDATE and
 * ImageStreamImport CREATE, read from each of its three configuration sources, and its host, port and
 * {@code insecure} rules (openshift-apiserver {@code validation/whitelist}).
 */
class ImportPolicyConformanceTest {
    private static final String GROUP = "image.openshift.io";
    /** The import policy never looks an image up: a lookup would fail the test. */
    private static final ImageFacts NO_LOOKUP = (field, reference) -> {
        throw new AssertionError("the import policy looked up " + reference);
    };

    private static ImagePolicyEngine engineOf(ImportPolicyCases.Source s) throws Exception {
        return new ImagePolicyEngine(new PolicyParser(false).parse(s.file(), s.text()).policy());
    }

    private static Decision createStream(ImagePolicyEngine e, ObjectNode is) {
        return decide(e, create(GROUP, "imagestreams", is), NO_LOOKUP);
    }

    private static Decision createImport(ImagePolicyEngine e, ObjectNode isi) {
        return decide(e, create(GROUP, "imagestreamimports", isi), NO_LOOKUP);
    }

    // ------------------------------------------------------------------ each source

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void anImageStreamTagFromAnotherRegistryIsDeniedNamingFieldImageAndAllowedRegistries(ImportPolicyCases.Source s) throws Exception {
        ImagePolicyEngine e = engineOf(s);
        assertAllowed(createStream(e, imageStream(s.allowed())));
        Decision d = createStream(e, imageStream(s.allowed(), s.denied()));
        assertDenied(d, "spec.tags[1].from.name");
        assertThat(d.message()).contains("imagestreams.image.openshift.io \"app\" is forbidden: spec.tags[1].from.name: Forbidden:")
                .contains("importing \"" + s.denied() + "\" from registry \"" + s.deniedRegistry() + "\" is not allowed")
                .contains("images may be imported only from " + s.listed() + " (allowedRegistriesForImport)");
        assertThat(d.violations().get(0).rule()).isEqualTo("allowedRegistriesForImport");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void anImageStreamImportOfImagesOrARepositoryIsJudgedOnCreate(ImportPolicyCases.Source s) throws Exception {
        ImagePolicyEngine e = engineOf(s);
        assertAllowed(createImport(e, imageStreamImport(false, s.allowed())));
        assertDenied(createImport(e, imageStreamImport(false, s.allowed(), s.denied())), "spec.images[1].from.name");
        assertAllowed(createImport(e, repositoryImport(s.allowed().replaceAll(":[^:/]+$", ""))));
        Decision d = createImport(e, repositoryImport(s.denied().replaceAll(":[^:/]+$", "")));
        assertDenied(d, "spec.repository.from.name");
        assertThat(d.message()).contains("imagestreamimports.image.openshift.io \"app\" is forbidden: spec.repository.from.name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void anUpdateMayKeepARepositoryTheStreamAlreadyHadButNotAddOne(ImportPolicyCases.Source s) throws Exception {
        ImagePolicyEngine e = engineOf(s);
        ObjectNode old = imageStream(s.denied());
        String sameRepositoryOtherTag = s.denied().replaceAll(":[^:/]+$", ":other");
        assertAllowed(decide(e, update(GROUP, "imagestreams", imageStream(s.denied(), sameRepositoryOtherTag), old), NO_LOOKUP));
        assertDenied(decide(e, update(GROUP, "imagestreams", imageStream(s.denied(), "untrusted.example.org/x/y:1"), old), NO_LOOKUP),
                "spec.tags[1].from.name");
    }

    private static String repositoryOf(String image) {
        return image.replaceAll(":[^:/]+$", "");
    }

    private static AdmissionInput statusUpdate(ObjectNode stream, ObjectNode old) {
        return Conformance.review("UPDATE", GROUP, "v1", "imagestreams", "status", "default", stream, old);
    }

    /** The two single-tag resources: ImageStreamTag ({@code tag}) and ImageTag ({@code spec}). */
    private record TagKind(String resource, String field, java.util.function.Function<String, ObjectNode> object) {
    }

    private static final java.util.List<TagKind> TAG_KINDS = java.util.List.of(
            new TagKind("imagestreamtags", "tag", ImportPolicyCases::imageStreamTag),
            new TagKind("imagetags", "spec", ImportPolicyCases::imageTag));

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void anImageStreamTagOrImageTagFromAnotherRegistryIsDeniedNamingFieldAndAllowedRegistries(ImportPolicyCases.Source s) throws Exception {
        ImagePolicyEngine e = engineOf(s);
        for (TagKind k : TAG_KINDS) {
            assertAllowed(decide(e, create(GROUP, k.resource(), k.object().apply(s.allowed())), NO_LOOKUP));
            Decision d = decide(e, create(GROUP, k.resource(), k.object().apply(s.denied())), NO_LOOKUP);
            assertDenied(d, k.field() + ".from.name");
            assertThat(d.message()).as(k.resource())
                    .contains(k.resource() + ".image.openshift.io \"app:t0\" is forbidden: " + k.field() + ".from.name: Forbidden:")
                    .contains("importing \"" + s.denied() + "\" from registry \"" + s.deniedRegistry() + "\" is not allowed")
                    .contains("images may be imported only from " + s.listed() + " (allowedRegistriesForImport)");
            assertThat(d.violations().get(0).rule()).isEqualTo("allowedRegistriesForImport");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void anUpdateOfATagMayKeepItsRepositoryButNotMoveToAnotherRegistry(ImportPolicyCases.Source s) throws Exception {
        ImagePolicyEngine e = engineOf(s);
        String sameRepositoryOtherTag = repositoryOf(s.denied()) + ":other";
        for (TagKind k : TAG_KINDS) {
            ObjectNode old = k.object().apply(s.denied());
            assertAllowed(decide(e, update(GROUP, k.resource(), k.object().apply(sameRepositoryOtherTag), old), NO_LOOKUP));
            assertDenied(decide(e, update(GROUP, k.resource(), k.object().apply("untrusted.example.org/x/y:1"), old), NO_LOOKUP),
                    k.field() + ".from.name");
            assertDenied(decide(e, update(GROUP, k.resource(), k.object().apply(s.denied()), k.object().apply(s.allowed())),
                    NO_LOOKUP), k.field() + ".from.name");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void referencesWrittenToAStreamsStatusAreJudgedWhenTheOldStatusLackedThem(ImportPolicyCases.Source s) throws Exception {
        ImagePolicyEngine e = engineOf(s);
        String deniedByDigest = repositoryOf(s.denied()) + "@" + Conformance.IMAGE1_SHA;
        String otherDeniedDigest = repositoryOf(s.denied()) + "@" + Conformance.GOOD_SHA;
        String allowedByDigest = repositoryOf(s.allowed()) + "@" + Conformance.IMAGE1_SHA;
        ObjectNode old = withStatus(imageStream(s.denied()), deniedByDigest);
        assertAllowed(decide(e, statusUpdate(withStatus(imageStream(s.denied()), allowedByDigest, deniedByDigest), old), NO_LOOKUP));
        Decision d = decide(e, statusUpdate(withStatus(imageStream(s.denied()), otherDeniedDigest, deniedByDigest), old), NO_LOOKUP);
        assertDenied(d, "status.tags[0].items[0].dockerImageReference");
        assertThat(d.message()).contains("imagestreams.image.openshift.io \"app\" is forbidden: status.tags[0].items[0].dockerImageReference:"
                + " Forbidden:").contains("importing \"" + otherDeniedDigest + "\" from registry \"" + s.deniedRegistry() + "\" is not allowed").contains("images may be imported only from " + s.listed());
        assertThat(d.violations()).as("the reference kept from the old status is not judged again").hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.imagepolicy.webhook.conformance.ImportPolicyCases#sources")
    void theIntegratedRegistryIsAlwaysAllowed(ImportPolicyCases.Source s) throws Exception {
        if (s.integrated() == null) {
            return; // the installer variable carries no registry hostname; the other two sources do
        }
        assertAllowed(createStream(engineOf(s), imageStream(s.integrated())));
    }

    // ------------------------------------------------------------------ upstream's host and port rules

    private static final String POLICY = """
            imagePolicyConfig:
              allowedRegistriesForImport:
              - domainName: docker.io
              - domainName: secure.example.com
              - domainName: ported.example.com:5000
              - domainName: 'anyport.example.com:*'
              - domainName: plain.example.com
                insecure: true
              - domainName: '*.apps.example.com'
            """;

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        // image,                               how,            allowed
        "secure.example.com/a/b:1,              secure,         true",
        "secure.example.com:443/a/b:1,          secure,         true",
        "SECURE.example.com/a/b:1,              secure,         true",
        "secure.example.com:5000/a/b:1,         secure,         false",
        "secure.example.com:80/a/b:1,           secure,         false",
        "secure.example.com/a/b:1,              insecure-tag,   true",
        "secure.example.com/a/b:1,              insecure-import,false",
        "secure.example.com:443/a/b:1,          insecure-import,true",
        "plain.example.com:443/a/b:1,           insecure-tag,   false",
        "ported.example.com:5000/a/b:1,         secure,         true",
        "ported.example.com/a/b:1,              secure,         false",
        "anyport.example.com:8443/a/b:1,        secure,         true",
        "anyport.example.com/a/b:1,             insecure-import,true",
        "plain.example.com/a/b:1,               secure,         false",
        "plain.example.com/a/b:1,               insecure-import,true",
        "plain.example.com/a/b:1,               insecure-tag,   true",
        "plain.example.com:80/a/b:1,            secure,         true",
        "x.apps.example.com/a/b:1,              secure,         true",
        "x.y.apps.example.com/a/b:1,            secure,         true",
        "apps.example.com/a/b:1,                secure,         false",
        "apps.example.com.evil.net/a/b:1,       secure,         false",
        "nginx:1.25,                            secure,         true",
        "library/nginx:1.25,                    secure,         true",
        "index.docker.io/library/nginx:1.25,    secure,         true",
        "registry-1.docker.io/library/nginx:1,  secure,         true",
        "docker.io:5000/library/nginx:1,        secure,         false",
        "quay.io/org/app:1,                     secure,         false",
    })
    void hostsPortsAndInsecureFollowTheImportWhitelister(String image, String how, boolean allowed) {
        ImagePolicyEngine e = engine(POLICY);
        Decision streamDecision = switch (how) {
            case "secure" -> createStream(e, imageStream(image));
            case "insecure-tag" -> createStream(e, insecureTag(imageStream(image), 0));
            default -> createImport(e, imageStreamImport(true, image));
        };
        assertThat(streamDecision.allowed()).as("%s (%s): %s", image, how, streamDecision.message()).isEqualTo(allowed);
        if (how.equals("secure")) {
            assertThat(createImport(e, imageStreamImport(false, image)).allowed()).as("the same as a secure ImageStreamImport").isEqualTo(allowed);
        }
    }

    @Test
    void theInsecureRepositoryAnnotationMakesEveryTagInsecure() {
        ImagePolicyEngine e = engine(POLICY);
        ObjectNode is = imageStream("plain.example.com/a/b:1");
        assertThat(createStream(e, is).allowed()).isFalse();
        Conformance.annotate(is, "openshift.io/image.insecureRepository", "true");
        assertAllowed(createStream(e, is));
    }

    @Test
    void specDockerImageRepositoryIsJudgedToo() {
        ObjectNode is = imageStream();
        ((ObjectNode) is.path("spec")).put("dockerImageRepository", "quay.io/org/app");
        assertDenied(createStream(engine(POLICY), is), "spec.dockerImageRepository");
    }

    @Test
    void tagsFromImageStreamsAreNotImportsAndAreNotJudged() {
        ObjectNode is = imageStream("quay.io/org/app:1");
        ((ObjectNode) is.path("spec").path("tags").get(0).path("from")).put("kind", "ImageStreamTag").put("name", "other:latest");
        assertAllowed(createStream(engine(POLICY), is));
    }

    @Test
    void withoutAnImportPolicyEveryRegistryIsAllowedAsUpstream() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                executionRules: []
                """);
        Decision d = createStream(e, imageStream("quay.io/org/app:1"));
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SKIPPED);
        assertThat(e.judgesImagesOf(org.imagepolicy.webhook.policy.Resources.IMAGE_STREAMS)).isFalse();
    }

    @Test
    void anImageStreamImportIsCreateOnlyAndSubresourcesOtherThanStatusAreLeftAlone() {
        ImagePolicyEngine e = engine(POLICY);
        ObjectNode isi = imageStreamImport(false, "quay.io/org/app:1");
        assertThat(decide(e, update(GROUP, "imagestreamimports", isi, isi), NO_LOOKUP).outcome()).isEqualTo(Decision.Outcome.SKIPPED);
        ObjectNode imported = withStatus(imageStream("quay.io/org/app:1"), "quay.io/org/app@" + Conformance.IMAGE1_SHA);
        for (String subresource : java.util.List.of("layers", "secrets")) {
            AdmissionInput other = Conformance.review("UPDATE", GROUP, "v1", "imagestreams", subresource, "default", imported, imageStream());
            assertThat(decide(e, other, NO_LOOKUP).outcome()).as(subresource).isEqualTo(Decision.Outcome.SKIPPED);
        }
        assertDenied(decide(e, statusUpdate(imported, imageStream()), NO_LOOKUP), "status.tags[0].items[0].dockerImageReference");
        AdmissionInput statusCreate = Conformance.review("CREATE", GROUP, "v1", "imagestreams", "status", "default", imported, null);
        assertThat(decide(e, statusCreate, NO_LOOKUP).outcome()).as("status is only ever updated").isEqualTo(Decision.Outcome.SKIPPED);
    }

    @Test
    void aStatusReferenceFollowsItsSpecTagsImportPolicyAndTheStreamsInsecureAnnotation() {
        ImagePolicyEngine e = engine(POLICY);
        String plain = "plain.example.com/a/b@" + Conformance.IMAGE1_SHA;
        assertDenied(decide(e, statusUpdate(withStatus(imageStream("plain.example.com/a/b:1"), plain), imageStream()), NO_LOOKUP),
                "status.tags[0].items[0].dockerImageReference");
        assertAllowed(decide(e, statusUpdate(withStatus(insecureTag(imageStream("plain.example.com/a/b:1"), 0), plain), imageStream()),
                NO_LOOKUP));
        ObjectNode annotated = Conformance.annotate(withStatus(imageStream("plain.example.com/a/b:1"), plain),
                "openshift.io/image.insecureRepository", "true");
        assertAllowed(decide(e, statusUpdate(annotated, imageStream()), NO_LOOKUP));
    }

    @Test
    void aTagsImportPolicyAndTheInsecureAnnotationMakeAnImageStreamTagOrImageTagInsecure() {
        ImagePolicyEngine e = engine(POLICY);
        for (TagKind k : TAG_KINDS) {
            assertThat(decide(e, create(GROUP, k.resource(), k.object().apply("plain.example.com/a/b:1")), NO_LOOKUP).allowed())
                    .as(k.resource()).isFalse();
            ObjectNode insecure = k.object().apply("plain.example.com/a/b:1");
            ((ObjectNode) insecure.path(k.field()).path("importPolicy")).put("insecure", true);
            assertAllowed(decide(e, create(GROUP, k.resource(), insecure), NO_LOOKUP));
            ObjectNode annotated = Conformance.annotate(k.object().apply("plain.example.com/a/b:1"), "openshift.io/image.insecureRepository", "true");
            assertAllowed(decide(e, create(GROUP, k.resource(), annotated), NO_LOOKUP));
        }
    }

    @Test
    void tagsFromImageStreamsAndTagsWithoutAReferenceAreNotImports() {
        ImagePolicyEngine e = engine(POLICY);
        for (TagKind k : TAG_KINDS) {
            ObjectNode other = k.object().apply("quay.io/org/app:1");
            ((ObjectNode) other.path(k.field()).path("from")).put("kind", "ImageStreamTag").put("name", "other:latest");
            assertAllowed(decide(e, create(GROUP, k.resource(), other), NO_LOOKUP));
            ObjectNode none = k.object().apply("quay.io/org/app:1");
            none.remove(k.field());
            assertAllowed(decide(e, create(GROUP, k.resource(), none), NO_LOOKUP));
            ObjectNode malformed = k.object().apply("quay.io/org/app:1");
            malformed.put(k.field(), "quay.io/org/app:1");
            assertThat(decide(e, create(GROUP, k.resource(), malformed), NO_LOOKUP).outcome()).isEqualTo(Decision.Outcome.INVALID);
        }
    }

    @Test
    void executionRulesNeverApplyToImageStreams() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                executionRules:
                - name: only-redhat
                  onResources: [{resource: pods}]
                  matchRegistries: [registry.redhat.io]
                """);
        assertThat(createStream(e, imageStream("quay.io/org/app:1")).outcome()).isEqualTo(Decision.Outcome.SKIPPED);
    }

    @Test
    void aMalformedImageStreamIsRefusedAsUnreadable() {
        ObjectNode is = imageStream();
        ((ObjectNode) is.path("spec")).put("tags", "not a list");
        Decision d = createStream(engine(POLICY), is);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.INVALID);
        assertThat(d.message()).contains("spec.tags must be a list");
    }
}
