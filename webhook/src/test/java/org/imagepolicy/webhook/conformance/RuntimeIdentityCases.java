package org.imagepolicy.webhook.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempts of {@code conformance/runtime-identity.psv}: a policy, an object kind, an image, and whether
 * it must be admitted. The engine test and the HTTPS test read the same table, so the two can never test
 * different things.
 */
final class RuntimeIdentityCases {
    record Case(int line, String policy, String kind, String image, boolean allowed, String fragment, String why) {
        String policyText() {
            return Conformance.resource("runtime-identity/" + policy + ".yaml");
        }

        /** A Pod or a Deployment carrying the image, in an AdmissionReview as the API server sends it. */
        ObjectNode review() {
            ObjectNode object = kind.equals("Pod") ? Conformance.pod(image) : Conformance.workload("apps/v1", "Deployment", image);
            ObjectNode review = Conformance.JSON.createObjectNode();
            review.put("apiVersion", "admission.k8s.io/v1");
            review.put("kind", "AdmissionReview");
            ObjectNode request = review.putObject("request");
            request.put("uid", "00000000-0000-0000-0000-" + String.format("%012d", line));
            String group = kind.equals("Pod") ? "" : "apps";
            request.putObject("kind").put("group", group).put("version", "v1").put("kind", kind);
            request.putObject("resource").put("group", group).put("version", "v1").put("resource", kind.equals("Pod") ? "pods" : "deployments");
            request.put("namespace", "default");
            request.put("name", "test");
            request.put("operation", "CREATE");
            request.set("object", object);
            return review;
        }

        @Override
        public String toString() {
            return "line " + line + ": " + policy + ", " + kind + " " + (image.length() > 60 ? image.substring(0, 57) + "..." : image)
                    + " -> " + (allowed ? "allowed" : "denied") + " (" + why + ")";
        }
    }

    private RuntimeIdentityCases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        String[] lines = Conformance.resource("runtime-identity.psv").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length != 6 || !(f[3].strip().equals("allowed") || f[3].strip().equals("denied"))) {
                throw new IllegalStateException("runtime-identity.psv:" + (i + 1) + ": expected policy | kind | image | allowed|denied"
                        + " | fragment | why");
            }
            cases.add(new Case(i + 1, f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip().equals("allowed"), f[4].strip(), f[5].strip()));
        }
        return cases;
    }
}
