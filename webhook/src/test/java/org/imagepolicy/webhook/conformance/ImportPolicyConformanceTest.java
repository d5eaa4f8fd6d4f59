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
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.insecureTag;
import static org.imagepolicy.webhook.conformance.ImportPolicyCases.repositoryImport;

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
 * CREATE and UPDATE and ImageStreamImport CREATE, read from each of its three configuration sources, and its
 * host, port and {@code insecure} rules (openshift-apiserver {@code validation/whitelist}).
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
    void anImageStreamImportIsCreateOnlyAndSubresourcesAreLeftAlone() {
        ImagePolicyEngine e = engine(POLICY);
        ObjectNode isi = imageStreamImport(false, "quay.io/org/app:1");
        assertThat(decide(e, update(GROUP, "imagestreamimports", isi, isi), NO_LOOKUP).outcome()).isEqualTo(Decision.Outcome.SKIPPED);
        AdmissionInput status = Conformance.review("UPDATE", GROUP, "v1", "imagestreams", "status", "default",
                imageStream("quay.io/org/app:1"), imageStream());
        assertThat(decide(e, status, NO_LOOKUP).outcome()).isEqualTo(Decision.Outcome.SKIPPED);
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
