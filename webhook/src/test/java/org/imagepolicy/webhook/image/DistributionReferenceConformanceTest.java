package org.imagepolicy.webhook.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our parser against the test tables of distribution/reference v0.6.0, each input judged as its
 * {@code ParseNormalizedNamed} judges it, because that is what the kubelet and containerd do with a pod's image.
 * Where the webhook deliberately differs (image IDs, host case, default port, ports and addresses no runtime can
 * dial) the table says so and why, and the webhook's own expectation is asserted instead.
 *
 * <p>The table is hand-checked data, not a golden file: rewriting it from our parser's output would make
 * every bug an expectation.
 */
class DistributionReferenceConformanceTest {
    static final String TABLE = "/conformance/distribution-reference.tsv";
    private static final String COLUMNS = "case\tinput\tupstream\trepository\ttag\tdigest\twebhook\twhy";
    private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)\\*([^}]*)\\}");

    /** One table row. {@code expected} is the webhook's expectation: upstream's unless the row marks a difference. */
    record Case(int line, String name, String input, Expected expected, String upstream, String why) {
        @Override
        public String toString() {
            String shown = input.length() > 60 ? input.substring(0, 57) + "..." : input;
            return name + " [" + shown + "]" + (why.isEmpty() ? "" : " (webhook differs)");
        }
    }

    /** {@code repository == null} means the image must be refused. */
    record Expected(String repository, String tag, String digest) {
        static final Expected INVALID = new Expected(null, null, null);

        boolean valid() {
            return repository != null;
        }

        @Override
        public String toString() {
            return valid() ? "valid " + repository + " tag " + tag + " digest " + digest : "invalid";
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = DistributionReferenceConformanceTest.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                fail("the table " + TABLE + " is missing from the test resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = false;
            int lineNo = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (!header) {
                    assertThat(line).as("%s:%d: the column header", TABLE, lineNo).isEqualTo(COLUMNS);
                    header = true;
                    continue;
                }
                cases.add(row(line, lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static Case row(String line, int lineNo) {
        String where = TABLE + ":" + lineNo + ": ";
        String[] f = line.split("\t", -1);
        if (f.length != 8) {
            fail(where + "expected 8 tab-separated columns, found " + f.length);
        }
        String input = decode(f[1]);
        Expected upstream;
        if (f[2].equals("valid")) {
            upstream = new Expected(decode(f[3]), dash(f[4]), dash(f[5]));
        } else if (f[2].startsWith("invalid")) {
            upstream = Expected.INVALID;
        } else {
            throw new AssertionError(where + "upstream is \"valid\" or \"invalid: reason\", not \"" + f[2] + "\"");
        }
        Expected expected = upstream;
        if (!f[6].isEmpty()) {
            if (f[7].isEmpty()) {
                fail(where + "a row where the webhook differs must say why");
            }
            if (f[6].equals("invalid")) {
                expected = Expected.INVALID;
            } else if (f[6].startsWith("valid ") && upstream.valid()) {
                expected = new Expected(decode(f[6].substring(6)), upstream.tag(), upstream.digest());
            } else {
                fail(where + "webhook is \"invalid\" or \"valid <repository>\" (for an upstream-valid row), not \"" + f[6] + "\"");
            }
        } else if (!f[7].isEmpty()) {
            fail(where + "a reason without a differing expectation");
        }
        return new Case(lineNo, f[0], input, expected, f[2], f[7]);
    }

    private static String dash(String s) {
        return s.equals("-") ? null : s;
    }

    /** {@code {N*s}} is s repeated N times, {@code {empty}} the empty string: long names stay readable. */
    static String decode(String s) {
        if (s.equals("{empty}")) {
            return "";
        }
        Matcher m = REPEAT.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesAsTheNormalizingParserDoes(Case c) {
        String where = TABLE + ":" + c.line() + " " + c.name() + " (upstream: " + c.upstream()
                + (c.why().isEmpty() ? "" : "; webhook differs: " + c.why()) + ")";
        ImageReference ref;
        try {
            ref = ImageReference.parse(c.input());
        } catch (InvalidImageReferenceException e) {
            if (c.expected().valid()) {
                fail(where + ": expected " + c.expected() + " but refused: " + e.getMessage());
            }
            return;
        }
        Expected actual = new Expected(ref.canonicalRepository(ImageReference.DOCKER_HUB), ref.tag(), ref.digest());
        assertThat(actual).as(where).isEqualTo(c.expected());
    }

    /** Every table of the three files is there, with every entry: a lost row would otherwise pass unnoticed. */
    @Test
    void everyUpstreamTableIsTranscribedWhole() {
        Map<String, Long> perTable = cases().stream().collect(Collectors.groupingBy(
                c -> c.name().substring(0, c.name().indexOf(' ', c.name().indexOf(' ') + 1)), TreeMap::new, Collectors.counting()));
        Map<String, Long> upstream = new TreeMap<>(Map.ofEntries(
                Map.entry("reference_test.go TestReferenceParse", 48L), // 47 entries and the commented-out FIXME one
                Map.entry("reference_test.go TestWithNameFailure", 7L),
                Map.entry("reference_test.go TestDomainAndPath", 6L),
                Map.entry("reference_test.go TestSerialization", 4L),
                Map.entry("reference_test.go TestWithTag", 5L),
                Map.entry("reference_test.go TestWithDigest", 4L),
                Map.entry("reference_test.go TestParseNamed", 8L),
                Map.entry("normalize_test.go TestValidateReferenceName", 41L),
                Map.entry("normalize_test.go TestValidateRemoteName", 21L),
                Map.entry("normalize_test.go TestParseRepositoryInfo", 32L), // 48 subtests, 32 distinct strings
                Map.entry("normalize_test.go TestParseReferenceWithTagAndDigest", 1L),
                Map.entry("normalize_test.go TestInvalidReferenceComponents", 4L),
                Map.entry("normalize_test.go TestParseAnyReference", 14L),
                Map.entry("normalize_test.go TestNormalizedSplitHostname", 11L),
                Map.entry("normalize_test.go TestMatchError", 1L),
                Map.entry("normalize_test.go TestMatch", 9L),
                Map.entry("normalize_test.go TestParseDockerRef", 11L),
                Map.entry("regexp_test.go TestDomainRegexp", 30L),
                Map.entry("regexp_test.go TestFullNameRegexp", 63L),
                Map.entry("regexp_test.go TestReferenceRegexp", 12L),
                Map.entry("regexp_test.go TestIdentifierRegexp", 5L)));
        assertThat(perTable).isEqualTo(upstream);
    }
}
