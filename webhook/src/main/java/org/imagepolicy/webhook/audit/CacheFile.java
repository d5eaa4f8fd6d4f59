package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.registry.CachedLookups;

/**
 * {@code --cache-file}: registry answers kept between runs. A file this tool wrote carries its format
 * name and a SHA-256 of its entries; anything else (another tool's file, a truncated or edited one, a
 * malformed digest, a tag fetched in the future) is reported and ignored as a whole, never half-trusted.
 * A foreign file is also never overwritten: it may be something the user meant to keep.
 */
public final class CacheFile {
    static final String FORMAT = "image-policy-webhook.lookup-cache/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");

    /** What loading found: the entries, or why there are none; and whether the file may be replaced. */
    public record Loaded(CachedLookups lookups, String problem, boolean writable) {
    }

    private final Path path;

    public CacheFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public Loaded load(Instant now) {
        if (!Files.exists(path)) {
            return new Loaded(new CachedLookups(List.of(), List.of()), null, true);
        }
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (IOException e) {
            return corrupt("it is not valid JSON (" + firstLine(e.getMessage()) + ")", looksOurs());
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            return new Loaded(null, path + ": not a lookup cache written by this tool (no \"format\": \"" + FORMAT
                    + "\"); ignored, and left as it is", false);
        }
        ObjectNode body = ((ObjectNode) root).deepCopy();
        String checksum = body.path("checksum").asText("");
        body.remove("checksum");
        if (!checksum.equals(checksum(body))) {
            return corrupt("its checksum does not match its entries (truncated or edited)", true);
        }
        try {
            return new Loaded(new CachedLookups(tags(root.path("tags"), now), images(root.path("images"))), null, true);
        } catch (IllegalArgumentException e) {
            return corrupt(e.getMessage(), true);
        }
    }

    private Loaded corrupt(String why, boolean writable) {
        return new Loaded(null, path + ": lookup cache ignored: " + why + "; images are looked up again"
                + (writable ? " and the file rewritten" : ""), writable);
    }

    private boolean looksOurs() {
        try {
            return Files.readString(path).contains(FORMAT);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static List<CachedLookups.Tag> tags(JsonNode array, Instant now) {
        List<CachedLookups.Tag> out = new ArrayList<>();
        for (JsonNode t : array) {
            Instant fetched = Instant.ofEpochMilli(number(t, "fetchedAt"));
            if (fetched.isAfter(now.plusSeconds(60))) {
                throw new IllegalArgumentException("a tag was looked up in the future (" + fetched + ")");
            }
            out.add(new CachedLookups.Tag(text(t, "registry"), text(t, "repository"), text(t, "tag"), digest(t),
                    Duration.between(fetched, now).isNegative() ? Duration.ZERO : Duration.between(fetched, now)));
        }
        return out;
    }

    private static List<CachedLookups.Image> images(JsonNode array) {
        List<CachedLookups.Image> out = new ArrayList<>();
        for (JsonNode i : array) {
            out.add(new CachedLookups.Image(text(i, "registry"), text(i, "repository"), digest(i), strings(i.path("labels")),
                    strings(i.path("annotations"))));
        }
        return out;
    }

    public void save(CachedLookups lookups, Instant now) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("savedAt", now.toString());
        ArrayNode tags = root.putArray("tags");
        for (CachedLookups.Tag t : lookups.tags()) {
            tags.addObject().put("registry", t.registry()).put("repository", t.repository()).put("tag", t.tag()).put("digest", t.digest())
                    .put("fetchedAt", now.minus(t.age()).toEpochMilli());
        }
        ArrayNode images = root.putArray("images");
        for (CachedLookups.Image i : lookups.images()) {
            ObjectNode o = images.addObject().put("registry", i.registry()).put("repository", i.repository()).put("digest", i.digest());
            i.labels().forEach(o.putObject("labels")::put);
            i.annotations().forEach(o.putObject("annotations")::put);
        }
        root.put("checksum", checksum(root));
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(root)));
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String checksum(ObjectNode body) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw new IllegalArgumentException("an entry has no " + field);
        }
        return v.textValue();
    }

    private static long number(JsonNode n, String field) {
        if (!n.path(field).isIntegralNumber()) {
            throw new IllegalArgumentException("an entry has no " + field);
        }
        return n.path(field).longValue();
    }

    private static String digest(JsonNode n) {
        String d = text(n, "digest");
        if (!DIGEST.matcher(d).matches()) {
            throw new IllegalArgumentException("\"" + d + "\" is not a digest");
        }
        return d;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        if (object.isMissingNode()) {
            return out;
        }
        if (!object.isObject()) {
            throw new IllegalArgumentException("labels or annotations are not an object");
        }
        object.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("label " + e.getKey() + " is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
