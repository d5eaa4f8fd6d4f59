package org.imagepolicy.webhook.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.report.Outcome;

/**
 * One suite file, read and checked: the policy it tests, the registry facts it supplies, and its cases.
 *
 * @param policy the policy paths (files or directories), resolved against the suite's directory
 * @param facts  what a registry lookup returns, by the image as written in the objects
 */
public record TestSuite(Path file, List<Path> policy, Map<String, Resolution> facts, List<Case> cases) {

    public TestSuite {
        policy = List.copyOf(policy);
        facts = Map.copyOf(facts);
        cases = List.copyOf(cases);
    }

    /**
     * One request and what the policy must make of its images.
     *
     * @param document  the object (judged as a CREATE) or the AdmissionReview (judged as its operation says)
     * @param namespace the namespace the object is created in, or {@code null} for its own (else {@code default})
     */
    public record Case(String name, int line, JsonNode document, String namespace, List<Expectation> expectations) {
        public Case {
            expectations = List.copyOf(expectations);
        }
    }

    /**
     * The expected result for the references it selects: by image string, by field path, or (both
     * {@code null}) every reference of the case.
     *
     * @param message a regular expression that must be found in the reference's message, or {@code null}
     */
    public record Expectation(String image, String field, Outcome outcome, Pattern message, int line) {
        public boolean selectsAll() {
            return image == null && field == null;
        }

        boolean selects(String fieldPath, String imageName) {
            return selectsAll() || (image != null ? image.equals(imageName) : field.equals(fieldPath));
        }

        String describe() {
            return selectsAll() ? "every image" : image != null ? "image \"" + image + "\"" : "field " + field;
        }
    }

    /** A problem with a suite, located for editors and CI logs. */
    public record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + Math.max(1, line) + ": " + message;
        }
    }
}
