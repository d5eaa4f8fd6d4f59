package org.imagepolicy.webhook.report.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectRef;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReportFixtures;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.report.Summary;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitWriterTest {
    static final Path GOLDEN = Golden.DIR.resolveSibling("reports");

    static String render(ReportFixtures.Run run) throws IOException {
        StringWriter out = new StringWriter();
        run.replay(new JUnitWriter(out));
        return out.toString();
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void auditMatchesGoldenAndCountsAddUp() throws Exception {
        String xml = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod());
        Golden.assertTextMatches(GOLDEN.resolve("audit-two-namespaces-and-unnamespaced-pod.junit.xml"), xml);
        Element root = parse(xml).getDocumentElement();
        assertCountsAddUp(root);
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(List.of(name(suites, 0), name(suites, 1), name(suites, 2), name(suites, 3), name(suites, 4)))
                .containsExactly("deploy/shop.yaml", "deploy/broken.yaml", "deploy/payments.yaml", "deploy/system.yaml",
                        "deploy/standalone.yaml");
        // web: trusted-registries passes, the default deny fails, no-experimental warns (a pass with a note);
        // debug, typo; broken cannot be judged
        Element shop = (Element) suites.item(0);
        assertThat(shop.getAttribute("tests")).isEqualTo("6");
        assertThat(shop.getAttribute("failures")).isEqualTo("3");
        assertThat(shop.getAttribute("errors")).isEqualTo("1");
        assertThat(root.getAttribute("tests")).isEqualTo("12");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
    }

    @Test
    void diffMatchesGolden() throws Exception {
        String xml = render(ReportFixtures.diffNewlyDeniedAllowedAndChanged());
        Golden.assertTextMatches(GOLDEN.resolve("diff-newly-denied-allowed-and-changed.junit.xml"), xml);
        Element root = parse(xml).getDocumentElement();
        assertCountsAddUp(root);
        assertThat(xml).contains("newly-denied (was pass): no allow rule for deployments matched");
    }

    @Test
    void theReasonIsInTheMessageAndTheBody() throws Exception {
        Element root = parse(render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod())).getDocumentElement();
        Element failure = (Element) root.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("Deployment shop/web: image-policy");
        assertThat(failure.getAttribute("message")).startsWith("spec.template.spec.containers[1].image: no allow rule for deployments matched \"quay.io/org/agent:2\"");
        assertThat(failure.getTextContent()).startsWith("deploy/shop.yaml:20:16: spec.template.spec.containers[1].image (quay.io/org/agent:2) fail\n")
                .contains("no allow rule for deployments matched \"quay.io/org/agent:2\"");
    }

    @Test
    void hostileTextStaysText() throws Exception {
        String hostile = "quay.io/x:1\"/><injected a='b'/>]]>&amp;\u0001\u0000\uD800<!--";
        ReferenceResult ref = new ReferenceResult("spec.containers[0].image", "c\"<", hostile, new Location("a&b<c>.yaml", 3, 5),
                Outcome.FAIL, null, "denied: " + hostile + "\nsecond line");
        ReportFixtures.Run run = new ReportFixtures.Run(
                new RunInfo("audit", "p<>&\"", null, ReportFixtures.RULES, ReportFixtures.STARTED, "v"),
                List.of(new ObjectResult(new Location("a&b<c>.yaml", 1, 0), new ObjectRef("v1", "Pod", "ns", "n<a>me\"", null), "CREATE",
                        List.of(ref), null), new InputProblem(new Location("x\"y.yaml", 1, 1), "bad ]]> <x/> \u001b[31m")),
                new Summary(2, 0, 1, 0, 0, 0, ReportFixtures.counts(0, 1, 0, 0, 0, 0), 0, 0));
        String xml = render(run);
        Document doc = parse(xml);
        assertThat(doc.getElementsByTagName("injected").getLength()).isZero();
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).contains("quay.io/x:1\"/><injected a='b'/>]]>&amp;\uFFFD\uFFFD\uFFFD<!--")
                .contains("\nsecond line");
        assertThat(doc.getDocumentElement().getAttribute("name")).isEqualTo("image-policy-webhook audit p<>&\"");
        assertThat(((Element) doc.getElementsByTagName("testcase").item(1)).getAttribute("classname")).isEqualTo("x\"y.yaml");
    }

    static String name(NodeList nodes, int i) {
        return ((Element) nodes.item(i)).getAttribute("name");
    }

    /** Every suite's and the root's counts are the elements they hold. */
    static void assertCountsAddUp(Element root) {
        NodeList suites = root.getElementsByTagName("testsuite");
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            int t = s.getElementsByTagName("testcase").getLength();
            int f = s.getElementsByTagName("failure").getLength();
            int e = s.getElementsByTagName("error").getLength();
            int k = s.getElementsByTagName("skipped").getLength();
            assertThat(List.of(s.getAttribute("tests"), s.getAttribute("failures"), s.getAttribute("errors"), s.getAttribute("skipped")))
                    .as("counts of suite %s", s.getAttribute("name"))
                    .containsExactly(String.valueOf(t), String.valueOf(f), String.valueOf(e), String.valueOf(k));
            tests += t;
            failures += f;
            errors += e;
            skipped += k;
        }
        assertThat(List.of(root.getAttribute("tests"), root.getAttribute("failures"), root.getAttribute("errors"), root.getAttribute("skipped")))
                .containsExactly(String.valueOf(tests), String.valueOf(failures), String.valueOf(errors), String.valueOf(skipped));
    }
}
