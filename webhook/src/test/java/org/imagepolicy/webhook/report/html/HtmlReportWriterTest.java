package org.imagepolicy.webhook.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectRef;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReportFixtures;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.report.Summary;
import org.imagepolicy.webhook.testing.Chromium;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page as a browser shows it: Debian's headless chromium renders every page these tests look at. */
class HtmlReportWriterTest {
    static final Path GOLDEN = Golden.DIR.resolveSibling("reports");
    static final Pattern ROW = Pattern.compile("<tr data-outcome=\"(\\w+)\"( hidden=\"\")?>(.*?)</tr>", Pattern.DOTALL);
    static final Pattern IMAGE = Pattern.compile("<td class=\"img\">(.*?)</td>");

    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static String origin;

    @TempDir
    Path dir;

    /** Anything the page fetches lands here; hostile fixtures point their URLs at it. */
    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = "x".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    static String render(ReportFixtures.Run run) throws IOException {
        StringWriter out = new StringWriter();
        run.replay(new HtmlReportWriter(out, HtmlOptions.defaults()));
        return out.toString();
    }

    Path write(String name, String html) throws IOException {
        Path page = dir.resolve(name);
        Files.writeString(page, html);
        return page;
    }

    /** (outcome, image, hidden) of every table row in DOM order. */
    static List<String> rows(String dom) {
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(dom.substring(dom.indexOf("id=\"violations\"")));
        while (m.find()) {
            Matcher img = IMAGE.matcher(m.group(3));
            rows.add(m.group(1) + " " + (img.find() ? img.group(1) : "?") + (m.group(2) != null ? " hidden" : ""));
        }
        return rows;
    }

    @Test
    void auditMatchesGoldenAndRendersTotalsChartsAndRows() throws Exception {
        String html = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod());
        Golden.assertTextMatches(GOLDEN.resolve("audit-two-namespaces-and-unnamespaced-pod.html"), html);
        String dom = Chromium.dumpDom(write("audit.html", html), null, dir);
        assertThat(dom).as("the script ran (its CSP hash matches)").contains("data-ready=\"true\"");
        assertThat(dom).contains("data-total=\"fail\"><span class=\"n\">5</span>", "data-total=\"error\"><span class=\"n\">1</span>",
                "data-total=\"warn\"><span class=\"n\">1</span>", "data-total=\"audit\"><span class=\"n\">2</span>",
                "data-total=\"objects-judged\"><span class=\"n\">8</span>");
        assertThat(dom).contains("<g class=\"bar\" data-label=\"(no rule: default deny)\" data-count=\"5\">",
                "<g class=\"bar\" data-label=\"legacy-registry\" data-count=\"2\">",
                "<g class=\"bar\" data-label=\"quay.io\" data-count=\"4\">",
                "<g class=\"bar\" data-label=\"registry.legacy.example.com\" data-count=\"2\">");
        assertThat(dom).containsPattern("<td class=\"img\">quay.io/org/agent:2</td><td>3</td><td>3</td>");
        assertThat(dom).contains("deploy/broken.yaml:7:3</code> mapping values are not allowed here");
        assertThat(rows(dom)).hasSize(9).noneMatch(r -> r.endsWith("hidden"));
        assertThat(dom).contains("<td class=\"img\">quay.io/org/app:&lt;latest&gt;</td>");
        assertThat(dom).contains("<td class=\"loc\" data-key=\"deploy/shop.yaml 20 16\">deploy/shop.yaml:20:16</td>"
                + "<td class=\"field\">spec.template.spec.containers[1].image</td>");
    }

    @Test
    void filtersAndSortsFromTheAddressFragment() throws Exception {
        Path page = write("audit.html", render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod()));
        String legacy = Chromium.dumpDom(page, "q=REGISTRY.legacy&sort=image&dir=desc", dir);
        assertThat(rows(legacy).stream().filter(r -> !r.endsWith("hidden")).toList())
                .containsExactly("audit registry.legacy.example.com/pay/proxy:1", "audit registry.legacy.example.com/pay/old:1");
        assertThat(legacy).contains("<span id=\"shown\">2</span>", "<th data-column=\"image\" aria-sort=\"descending\">");
        String warnings = Chromium.dumpDom(page, "outcome=warn", dir);
        assertThat(rows(warnings).stream().filter(r -> !r.endsWith("hidden")).toList())
                .containsExactly("warn quay.io/myorg/experimental/migrate:0.3");
        String byOutcome = Chromium.dumpDom(page, "sort=outcome", dir);
        assertThat(rows(byOutcome)).extracting(r -> r.split(" ")[0])
                .containsExactly("fail", "fail", "fail", "fail", "fail", "error", "warn", "audit", "audit");
    }

    @Test
    void diffMatchesGoldenAndShowsChanges() throws Exception {
        String html = render(ReportFixtures.diffNewlyDeniedAllowedAndChanged());
        Golden.assertTextMatches(GOLDEN.resolve("diff-newly-denied-allowed-and-changed.html"), html);
        String dom = Chromium.dumpDom(write("diff.html", html), null, dir);
        assertThat(dom).contains("data-ready=\"true\"", "data-total=\"newly-denied\"><span class=\"n\">1</span>",
                "data-total=\"newly-allowed\"><span class=\"n\">1</span>", "data-total=\"reason-changed\"><span class=\"n\">1</span>");
        assertThat(rows(dom)).containsExactly("fail docker.io/library/nginx:1.27", "pass quay.io/org/agent:2",
                "warn registry.legacy.example.com/pay/old:1");
    }

    /**
     * Image names and messages come from the manifests under audit. Every injection below would fetch from
     * the test's server or change the page if it got through.
     */
    @Test
    void attackerControlledTextIsShownNeverRunAndNothingIsFetched() throws Exception {
        String[] hostile = {
            "quay.io/x:1\"><img src=\"" + origin + "/img\" onerror=\"document.title='pwned'\">",
            "</td></tr></tbody></table><script src=\"" + origin + "/script.js\"></script><script>document.title='pwned'</script>",
            "<svg onload=\"fetch('" + origin + "/svg')\"></svg><link rel=\"stylesheet\" href=\"" + origin + "/style.css\">",
            "<style>@import url(" + origin + "/import.css);</style><iframe src=\"" + origin + "/frame\"></iframe>"};
        List<ReferenceResult> refs = new ArrayList<>();
        for (int i = 0; i < hostile.length; i++) {
            refs.add(new ReferenceResult("spec.containers[" + i + "].image", hostile[i], hostile[i], new Location(hostile[i], i + 1, 1),
                    Outcome.FAIL, hostile[(i + 1) % hostile.length], "denied: " + hostile[i]));
        }
        ReportFixtures.Run run = new ReportFixtures.Run(
                new RunInfo("audit", hostile[2], null, ReportFixtures.RULES, ReportFixtures.STARTED, hostile[3]),
                List.of(new ObjectResult(new Location(hostile[0], 1, 0), new ObjectRef("v1", "Pod", hostile[1], hostile[2], null), "CREATE",
                        refs, null)),
                new Summary(1, 0, 1, 0, 0, 0, ReportFixtures.counts(0, 4, 0, 0, 0, 0), 0, 0));
        String html = render(run);
        requests.clear();
        String dom = Chromium.dumpDom(write("hostile.html", html), null, dir);
        assertThat(dom).contains("data-ready=\"true\"").contains("<title>Image policy report</title>");
        assertThat(requests).as("requests the page made").isEmpty();
        // serialized text keeps its quotes, so look for elements: "<" only ever appears escaped in the hostile text
        assertThat(dom).doesNotContain("<img", "<iframe", "<link", "<svg onload", "<script src", "<style>@import");
        assertThat(rows(dom)).hasSize(4);
        // the browser's serialization of the text node: markup escaped, quotes as typed
        assertThat(dom).contains("denied: quay.io/x:1\"&gt;&lt;img src=\"" + origin + "/img\" onerror=");
    }

    /** The fetch check above can fail: the same harness sees a page that does load from the server. */
    @Test
    void theNetworkCheckSeesAPageThatFetches() throws Exception {
        requests.clear();
        Chromium.dumpDom(write("fetching.html", "<!DOCTYPE html><html><body><img src=\"" + origin + "/control.png\"></body></html>"), null, dir);
        assertThat(requests).contains("GET /control.png");
    }

    @Test
    void thePageIsSelfContained() throws IOException {
        String html = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod());
        assertThat(html).doesNotContainPattern("(?i)<(link|img|iframe|object|embed)\\b").doesNotContainPattern("(?i)\\b(src|href)=")
                .doesNotContainPattern("(?i)url\\(").doesNotContain("@import");
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-");
    }

    /** A screenshot of the sample report; with -Dgolden.update=true it replaces the README's docs/audit-report.png. */
    @Test
    void screenshot() throws Exception {
        Path page = write("audit.html", render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod()));
        Path png = dir.resolve("audit-report.png");
        Chromium.screenshot(page, png, 1280, 1500, dir);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(bytes.length).as("a rendered page, not a blank one").isGreaterThan(40_000);
        if (Boolean.getBoolean("golden.update")) {
            Path docs = Project.root().resolve("docs");
            Files.createDirectories(docs);
            Files.copy(png, docs.resolve("audit-report.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
