package org.imagepolicy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated allow-list as a security team with many tenants would write it: {@code allowRules} allow
 * rules of 10 registries each (hosts, hosts with ports, {@code *.domain} wildcards, quay.io on other ports), then
 * {@code denyRules} repository deny rules. The registries of {@link Reviews}' pods are allowed by the
 * last allow rule, so a scan of the rules in order finds them last; no deny rule matches them.
 *
 * <p>{@code java -cp benchmarks.jar org.imagepolicy.bench.LargePolicy ALLOW DENY FILE} writes it for run.sh.
 */
public final class LargePolicy {
    private LargePolicy() {
    }

    public static String yaml(int allowRules, int denyRules) {
        // Terse names, so that 10,000 rules stay under the YAML reader's 3 MiB limit.
        StringBuilder sb = new StringBuilder(allowRules * 260 + denyRules * 120 + 200);
        sb.append("apiVersion: image.openshift.io/v1\nkind: ImagePolicyConfig\nexecutionRules:\n");
        for (int i = 0; i < allowRules; i++) {
            sb.append("- name: t").append(i).append("\n  onResources: [{resource: pods}]\n  matchRegistries: [");
            if (i == allowRules - 1) {
                sb.append("docker.io, registry.access.redhat.com, ");
            }
            for (int k = 0; k < 10; k++) {
                sb.append(k > 0 ? ", " : "");
                switch (k % 5) {
                    case 0 -> sb.append("r").append(k).append(".t").append(i).append(".example.com");
                    case 1 -> sb.append("\"*.t").append(i).append('-').append(k).append(".corp.net\"");
                    case 2 -> sb.append("m").append(k).append(".t").append(i).append(".example.org:5000");
                    case 3 -> sb.append("quay.io:").append(8000 + (i * 10 + k) % 1000);
                    default -> sb.append("h").append(i).append('-').append(k).append(".example.io");
                }
            }
            sb.append("]\n");
        }
        for (int i = 0; i < denyRules; i++) {
            sb.append("- name: d").append(i).append("\n  reject: true\n  onResources: [{resource: pods}]\n");
            sb.append("  matchRepositories: [quay.io/old-").append(i).append("/**, docker.io/legacy-").append(i)
                    .append("/*, r0.t").append(i % Math.max(1, allowRules)).append(".example.com/experimental/**]\n");
        }
        return sb.toString();
    }

    /** {@code ALLOW DENY FILE}; {@code 0 0 FILE} writes the 2-rule policy of {@link DecisionBenchmark}, the baseline. */
    public static void main(String[] args) throws IOException {
        int allow = Integer.parseInt(args[0]);
        int deny = Integer.parseInt(args[1]);
        String text = allow == 0 && deny == 0 ? DecisionBenchmark.POLICY : yaml(allow, deny);
        Files.writeString(Path.of(args[2]), text, StandardCharsets.UTF_8);
    }
}
