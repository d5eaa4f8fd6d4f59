package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.cli.Main;
import org.imagepolicy.webhook.testing.Project;

/** Runs the command line in process, as the jar would, with its output captured. */
final class AuditCli {
    static final Path DIR = Project.root().resolve("webhook/src/test/resources/audit");
    static final Path INPUTS = DIR.resolve("inputs");
    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        /** Every reference of every result, flattened, with its object's kind and name. */
        List<JsonNode> references() throws IOException {
            List<JsonNode> refs = new ArrayList<>();
            for (JsonNode r : json().path("results")) {
                for (JsonNode ref : r.path("references")) {
                    refs.add(((com.fasterxml.jackson.databind.node.ObjectNode) ref.deepCopy()).put("object", r.path("kind").asText() + "/"
                            + r.path("name").asText()));
                }
            }
            return refs;
        }
    }

    private AuditCli() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String input(String name) {
        return INPUTS.resolve(name).toString();
    }

    static String policy() {
        return DIR.resolve("policy.yaml").toString();
    }

    static JsonNode reference(Run run, String image) throws IOException {
        for (JsonNode ref : run.references()) {
            if (ref.path("image").asText().equals(image)) {
                return ref;
            }
        }
        throw new AssertionError("no reference to " + image + " in " + run.out());
    }
}
