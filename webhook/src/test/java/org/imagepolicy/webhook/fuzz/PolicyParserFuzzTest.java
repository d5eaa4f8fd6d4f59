package org.imagepolicy.webhook.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;

/**
 * Policy files, YAML or JSON, through the non-strict parser. The documented refusal is {@link PolicyException},
 * every problem of which is located (line 1 or later) and explained; a policy that parses must also build an engine,
 * and the strict parser, when it accepts the same text, must read the same policy.
 *
 * <p>Without {@code JAZZER_FUZZ} this is a regression test over
 * {@code src/test/resources/org/imagepolicy/webhook/fuzz/PolicyParserFuzzTestInputs/policies/}.
 * To fuzz for real (one fuzz test per run; new findings are written into that directory):
 * <pre>
 * cd /work/main && JAZZER_FUZZ=1 JAZZER_MAX_DURATION=5m mvn -B -o test -pl webhook -am \
 *     -Dtest='PolicyParserFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PolicyParserFuzzTest {

    @FuzzTest
    void policies(byte[] data) {
        String text = FuzzSupport.text(data);
        PolicyParser.Parsed parsed;
        try {
            parsed = new PolicyParser(false).parse("fuzz.yaml", text);
        } catch (PolicyException e) {
            assertThat(e.problems()).as("problems of a refused policy").isNotEmpty()
                    .anySatisfy(p -> assertThat(p.isError()).isTrue());
            e.problems().forEach(PolicyParserFuzzTest::checkProblem);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(parsed.policy()).isNotNull();
        parsed.warnings().forEach(PolicyParserFuzzTest::checkProblem);
        new ImagePolicyEngine(parsed.policy());
        // --strict only turns what OpenShift ignores into errors: when it accepts a file, it reads the same policy.
        try {
            assertThat(new PolicyParser(true).parse("fuzz.yaml", text).policy()).as("the strict reading").isEqualTo(parsed.policy());
        } catch (PolicyException strictRefusal) {
            strictRefusal.problems().forEach(PolicyParserFuzzTest::checkProblem);
        }
    }

    private static void checkProblem(PolicyProblem p) {
        assertThat(p.line()).as("line of %s", p).isGreaterThanOrEqualTo(1);
        assertThat(p.message()).as("message of a problem at line %s", p.line()).isNotBlank();
        assertThat(p.source()).isEqualTo("fuzz.yaml");
        assertThat(p.format()).isNotBlank();
    }
}
