package org.imagepolicy.webhook.registry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses distribution 2.8's access log. The registry wraps its whole handler in gorilla's
 * {@code CombinedLoggingHandler} writing to stdout, one Apache "combined" line per request, written
 * once the handler has finished:
 *
 * <pre>
 * 127.0.0.1 - - [22/Nov/2026:23:54:29 +0000] "HEAD /v2/foo/manifests/latest?x=1 HTTP/1.1" 404 96 "" "curl/7.88.1"
 * </pre>
 *
 * Unknown routes are logged too (with 404), which is what lets {@link LocalRegistry} write marker
 * requests into the log. The structured {@code level=info msg="response completed" http.request.method=...}
 * lines on stderr carry the same facts but are skipped for requests that fail before the app router
 * (unknown routes), so stdout is the complete source.
 */
final class AccessLog {
    private static final Pattern COMBINED = Pattern.compile(
            "^\\S+ \\S+ \\S+ \\[[^\\]]*\\] \"(\\S+) (\\S+) ([^\"]*)\" (\\d{3}) \\S+ \"(?:[^\"\\\\]|\\\\.)*\" \"((?:[^\"\\\\]|\\\\.)*)\"$");

    /** A parsed line together with the user agent, which the harness uses to hide its own requests. */
    record Entry(LoggedRequest request, String userAgent, String protocol) {
    }

    private AccessLog() {
    }

    static Optional<Entry> parse(String line) {
        Matcher m = COMBINED.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String target = m.group(2);
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        return Optional.of(new Entry(new LoggedRequest(m.group(1), path, Integer.parseInt(m.group(4))), m.group(5), m.group(3)));
    }

    static List<Entry> parseAll(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            parse(line).ifPresent(entries::add);
        }
        return entries;
    }
}
