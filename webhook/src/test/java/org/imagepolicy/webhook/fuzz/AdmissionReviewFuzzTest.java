package org.imagepolicy.webhook.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;

/**
 * Request bodies, as the webhook receives them, through decoding, deciding, pinning and encoding. The only
 * documented refusal is {@link BadReviewException}; any other exception, or an answer that is not JSON echoing
 * the request's uid, is a defect.
 *
 * <p>Without {@code JAZZER_FUZZ} this is a regression test over
 * {@code src/test/resources/org/imagepolicy/webhook/fuzz/AdmissionReviewFuzzTestInputs/admissionReviews/}.
 * To fuzz for real (one fuzz test per run; new findings are written into that directory):
 * <pre>
 * cd /work/main && JAZZER_FUZZ=1 JAZZER_MAX_DURATION=5m mvn -B -o test -pl webhook -am \
 *     -Dtest='AdmissionReviewFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class AdmissionReviewFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImagePolicyEngine ENGINE = new ImagePolicyEngine(FuzzSupport.policy());

    @FuzzTest
    void admissionReviews(byte[] body) throws Exception {
        AdmissionInput in;
        try {
            in = AdmissionReviewCodec.decode(body);
        } catch (BadReviewException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(in.uid()).isNotEmpty();

        Decision decision = ENGINE.decide(in, ImageFacts.OFFLINE);
        checkDecision(decision);
        assertThat(ENGINE.decide(in, ImageFacts.OFFLINE)).as("deciding twice").isEqualTo(decision);
        checkAnswer(in, decision, AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), decision), null);

        PreparedRequest prepared = ENGINE.prepare(in, Set.of(), true);
        prepared.registryLookups();
        for (ImageFacts facts : new ImageFacts[] {ImageFacts.OFFLINE, FuzzSupport.RESOLVING}) {
            ImagePolicyEngine.Mutation m = ENGINE.mutate(prepared, facts);
            checkDecision(m.decision());
            checkAnswer(in, m.decision(), AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), m.decision(), m.patch()), m.patch());
        }
    }

    private static void checkDecision(Decision d) {
        assertThat(d).isNotNull();
        assertThat(d.outcome()).isNotNull();
        assertThat(d.code()).as("code of %s", d).isEqualTo(d.allowed() ? 200 : d.outcome() == Decision.Outcome.INVALID ? 400 : 403);
        if (!d.allowed()) {
            assertThat(d.message()).isNotBlank();
        }
    }

    /** The encoded answer is one JSON object, in the request's version, echoing its uid; a patch points into the object. */
    private static void checkAnswer(AdmissionInput in, Decision decision, byte[] encoded, byte[] patch) throws Exception {
        JsonNode answer = JSON.readTree(encoded);
        assertThat(answer.path("apiVersion").asText()).isEqualTo(in.apiVersion());
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = answer.path("response");
        assertThat(response.path("uid").textValue()).as("echoed uid").isEqualTo(in.uid());
        assertThat(response.path("allowed").isBoolean()).isTrue();
        assertThat(response.path("allowed").booleanValue()).isEqualTo(decision.allowed());
        if (!decision.allowed()) {
            assertThat(response.path("status").path("code").intValue()).isEqualTo(decision.code());
        }
        if (patch == null) {
            assertThat(response.has("patch")).isFalse();
            return;
        }
        assertThat(decision.allowed()).as("a denied request is never patched").isTrue();
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode ops = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        assertThat(ops.isArray()).isTrue();
        assertThat(ops.size()).isPositive();
        for (JsonNode op : ops) {
            assertThat(op.path("op").asText()).isEqualTo("replace");
            String path = op.path("path").asText();
            assertThat(in.object().at(path).isMissingNode()).as("patch path %s exists in the object", path).isFalse();
        }
    }
}
