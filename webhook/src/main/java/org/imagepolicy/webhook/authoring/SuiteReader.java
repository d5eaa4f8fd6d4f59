package org.imagepolicy.webhook.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.report.Outcome;

/**
 * Reads a suite file ({@code kind: ImagePolicyTest}), checking every field so a mistake in a suite is
 * reported at its line instead of turning into a test that passes for the wrong reason.
 */
public final class SuiteReader {
    public static final String API_VERSION = "imagepolicy.org/v1alpha1";
    public static final String KIND = "ImagePolicyTest";
    static final List<String> SUITE_FIELDS = List.of("apiVersion", "kind", "policy", "images", "cases");
    static final List<String> FACT_FIELDS = List.of("digest", "labels", "annotations", "integratedRegistry", "error");
    static final List<String> CASE_FIELDS = List.of("name", "image", "resource", "object", "file", "namespace", "expect", "message");
    static final List<String> EXPECT_FIELDS = List.of("image", "field", "expect", "message");

    private final List<TestSuite.Problem> problems = new ArrayList<>();
    private LocatedYaml doc;
    private Path dir;

    /** The suite, or {@code null} with {@link #problems()} saying why. */
    public TestSuite read(Path file) {
        problems.clear();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new TestSuite.Problem(file.toString(), 1, "cannot read: " + e.getMessage()));
            return null;
        }
        try {
            doc = LocatedYaml.parse(file.toString(), text);
        } catch (LocatedYaml.SyntaxException e) {
            problems.add(new TestSuite.Problem(file.toString(), e.line, e.getMessage()));
            return null;
        }
        dir = file.toAbsolutePath().getParent();
        JsonNode root = doc.root;
        if (!root.isObject()) {
            error("", "a suite is an object with kind: " + KIND);
            return null;
        }
        if (!KIND.equals(root.path("kind").asText()) || !API_VERSION.equals(root.path("apiVersion").asText())) {
            // Most likely not a suite at all (an object left in tests/): one message, not one per field.
            error(root.has("kind") ? "/kind" : "", "a suite starts with apiVersion: " + API_VERSION + " and kind: " + KIND
                    + " (found " + root.path("apiVersion").asText("no apiVersion") + ", " + root.path("kind").asText("no kind") + ")"
                    + (KIND.equals(root.path("kind").asText()) ? "" : "; objects a suite refers to belong in a subdirectory such as tests/objects/"));
            return null;
        }
        fields(root, "", SUITE_FIELDS);
        List<Path> policy = policy(root.path("policy"), file);
        Map<String, Resolution> facts = facts(root.path("images"));
        List<TestSuite.Case> cases = new ArrayList<>();
        JsonNode list = root.path("cases");
        if (!list.isArray() || list.isEmpty()) {
            error(root.has("cases") ? "/cases" : "", "a suite needs cases: a list of {name, image or object or file, expect}");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                TestSuite.Case c = testCase(list.get(i), "/cases/" + i);
                if (c != null && !names.add(c.name())) {
                    error("/cases/" + i + "/name", "another case is also named \"" + c.name() + "\"; give each case its own name");
                }
                if (c != null) {
                    cases.add(c);
                }
            }
        }
        return problems.isEmpty() ? new TestSuite(file, policy, facts, cases) : null;
    }

    public List<TestSuite.Problem> problems() {
        return List.copyOf(problems);
    }

    private List<Path> policy(JsonNode node, Path file) {
        List<Path> out = new ArrayList<>();
        if (node.isMissingNode()) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent.getFileName() != null && parent.getFileName().toString().equals("tests") && parent.getParent() != null) {
                out.add(relativeToCwd(parent.getParent()));
            } else {
                error("", "name the policy under test (policy: ../my-policy.yaml); only a suite in a tests/ directory defaults to"
                        + " the directory above it");
            }
            return out;
        }
        List<JsonNode> entries = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(entries::add);
        } else {
            entries.add(node);
        }
        for (JsonNode e : entries) {
            if (!e.isTextual() || e.textValue().isBlank()) {
                error("/policy", "policy is a path (or a list of paths) to policy files or directories, relative to this suite");
                continue;
            }
            Path p = dir.resolve(e.textValue()).normalize();
            if (!Files.exists(p)) {
                error("/policy", "policy " + e.textValue() + " does not exist (looked for " + relativeToCwd(p) + ")");
            }
            out.add(relativeToCwd(p));
        }
        return out;
    }

    private Map<String, Resolution> facts(JsonNode images) {
        Map<String, Resolution> facts = new LinkedHashMap<>();
        if (images.isMissingNode()) {
            return facts;
        }
        if (!images.isObject()) {
            error("/images", "images maps each image, as written in the objects, to what its registry says: {digest, labels, annotations} or {error}");
            return facts;
        }
        images.fields().forEachRemaining(e -> {
            String at = "/images/" + pointerEscape(e.getKey());
            JsonNode f = e.getValue();
            if (!f.isObject()) {
                error(at, "expected {digest, labels, annotations} or {error: reason}");
                return;
            }
            fields(f, at, FACT_FIELDS);
            if (f.has("error")) {
                if (f.size() > 1) {
                    error(at, "an image with error: did not resolve, so it has no digest, labels or annotations; remove them or the error");
                }
                facts.put(e.getKey(), new Resolution.Failed(f.path("error").asText()));
                return;
            }
            facts.put(e.getKey(), new Resolution.Resolved(new ImageMetadata(f.path("digest").isTextual() ? f.path("digest").textValue() : null,
                    strings(f.path("labels"), at + "/labels"), strings(f.path("annotations"), at + "/annotations")),
                    f.path("integratedRegistry").asBoolean(false)));
        });
        return facts;
    }

    private TestSuite.Case testCase(JsonNode c, String at) {
        if (!c.isObject()) {
            error(at, "a case is {name, image or object or file, expect}");
            return null;
        }
        fields(c, at, CASE_FIELDS);
        String name = c.path("name").asText("");
        if (name.isBlank()) {
            error(at, "every case needs a name that says what it shows");
        }
        int given = (c.has("image") ? 1 : 0) + (c.has("object") ? 1 : 0) + (c.has("file") ? 1 : 0);
        if (given != 1) {
            error(at, "give exactly one of image: (a pod, or the resource: you name, with that image), object: (inline) or file: (a path)");
            return null;
        }
        if (c.has("resource") && !c.has("image")) {
            error(at + "/resource", "resource: goes with image:; an object says its own kind");
        }
        String namespace = c.path("namespace").isTextual() ? c.path("namespace").textValue() : null;
        JsonNode document;
        if (c.has("image")) {
            if (!c.path("image").isTextual()) {
                error(at + "/image", "image is the image reference as a pod would carry it, a string");
                return null;
            }
            try {
                document = AdmissionRequests.objectWithImage(AdmissionRequests.parseResource(c.path("resource").asText("pods")),
                        c.path("image").textValue(), "test", namespace == null ? "default" : namespace);
            } catch (IllegalArgumentException e) {
                error(at + "/resource", e.getMessage());
                return null;
            }
        } else if (c.has("object")) {
            document = c.path("object");
            if (!document.isObject()) {
                error(at + "/object", "object is a Kubernetes object or an AdmissionReview");
                return null;
            }
        } else {
            document = objectFile(c.path("file"), at + "/file");
            if (document == null) {
                return null;
            }
        }
        List<TestSuite.Expectation> expectations = expectations(c, at);
        return expectations == null ? null : new TestSuite.Case(name, doc.lineOf(at), document, namespace, expectations);
    }

    private JsonNode objectFile(JsonNode path, String at) {
        if (!path.isTextual()) {
            error(at, "file is a path to a YAML or JSON object or AdmissionReview, relative to this suite");
            return null;
        }
        Path p = dir.resolve(path.textValue()).normalize();
        try {
            LocatedYaml object = LocatedYaml.parse(relativeToCwd(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            if (!object.root.isObject()) {
                error(at, relativeToCwd(p) + " holds no object");
                return null;
            }
            return object.root;
        } catch (IOException e) {
            error(at, "cannot read " + relativeToCwd(p) + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        } catch (LocatedYaml.SyntaxException e) {
            error(at, relativeToCwd(p) + ":" + e.line + ": " + e.getMessage());
        }
        return null;
    }

    private List<TestSuite.Expectation> expectations(JsonNode c, String at) {
        JsonNode expect = c.path("expect");
        List<TestSuite.Expectation> out = new ArrayList<>();
        if (expect.isTextual()) {
            Outcome o = outcome(expect, at + "/expect");
            Pattern message = message(c.path("message"), at + "/message");
            if (o != null) {
                out.add(new TestSuite.Expectation(null, null, o, message, doc.lineOf(at + "/expect")));
            }
        } else if (expect.isArray() && !expect.isEmpty()) {
            if (c.has("message")) {
                error(at + "/message", "with a list of expectations, give each its own message:");
            }
            for (int i = 0; i < expect.size(); i++) {
                JsonNode e = expect.get(i);
                String eat = at + "/expect/" + i;
                if (!e.isObject()) {
                    error(eat, "expected {image or field, expect, message}");
                    continue;
                }
                fields(e, eat, EXPECT_FIELDS);
                if (e.has("image") == e.has("field")) {
                    error(eat, "name the reference by image: (as written) or by field: (e.g. spec.containers[0].image), one of the two");
                    continue;
                }
                Outcome o = outcome(e.path("expect"), eat + "/expect");
                Pattern message = message(e.path("message"), eat + "/message");
                if (o != null) {
                    out.add(new TestSuite.Expectation(e.has("image") ? e.path("image").asText() : null, e.has("field") ? e.path("field").asText() : null,
                            o, message, doc.lineOf(eat)));
                }
            }
        } else {
            error(at + (c.has("expect") ? "/expect" : ""), "expect is one of " + words() + " for every image of the case, or a list of"
                    + " {image or field, expect, message}");
        }
        return out;
    }

    private Outcome outcome(JsonNode node, String at) {
        String word = node.asText("").toUpperCase(Locale.ROOT);
        for (Outcome o : Outcome.values()) {
            if (o.name().equals(word)) {
                return o;
            }
        }
        error(at, "expect \"" + node.asText("") + "\" is not one of " + words());
        return null;
    }

    private Pattern message(JsonNode node, String at) {
        if (node.isMissingNode()) {
            return null;
        }
        try {
            return Pattern.compile(node.asText());
        } catch (PatternSyntaxException e) {
            error(at, "message is a regular expression searched for in the image's message; this one is invalid: "
                    + e.getDescription() + " near index " + e.getIndex() + " (write \\\\( for a literal parenthesis)");
            return null;
        }
    }

    private Map<String, String> strings(JsonNode map, String at) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map.isMissingNode()) {
            return out;
        }
        if (!map.isObject()) {
            error(at, "expected a map of names to values");
            return out;
        }
        map.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                error(at + "/" + pointerEscape(e.getKey()), "expected a string value");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    private void fields(JsonNode object, String at, List<String> known) {
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                error(at + "/" + pointerEscape(name), "unknown field \"" + name + "\"; expected one of " + known);
            }
        });
    }

    private void error(String pointer, String message) {
        problems.add(new TestSuite.Problem(doc.file, doc.lineOf(pointer), message));
    }

    private static String words() {
        List<String> words = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            words.add(o.word());
        }
        return String.join(", ", words);
    }

    private static String pointerEscape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Paths as the user would type them from here, so messages and FILE:LINE links stay short. */
    static Path relativeToCwd(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        if (!abs.startsWith(cwd)) {
            return abs;
        }
        Path relative = cwd.relativize(abs);
        return relative.toString().isEmpty() ? Path.of(".") : relative;
    }
}
