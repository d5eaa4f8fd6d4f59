package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.resolver.Resolver;

/** The shortcuts resolve every plain scalar exactly as SnakeYAML's YAML 1.1 resolver does. */
class PlainScalarResolverTest {
    private static final Resolver FULL = new Resolver();
    private static final PlainScalarResolver QUICK = new PlainScalarResolver();

    @Test
    void sameTagsAsTheFullResolver() {
        List<String> values = new ArrayList<>(List.of("2", "0", "07", "09", "0x1f", "0b101", "0o17", "1_000", "8080", "500m", "256Mi", "1Gi",
                "1.5", "1e3", "6.8523015e+5", "190:20:30", "2001-12-14t21:59:43.10-05:00", "2002-12-14", "1h", "30s", "3d6f", "1.25.3",
                "12Z", "1T", "nginx", "yes", "No", "null", "~", "<<", "=", "y", "on", "ON", "app-7", "v1", "sha256:abc", ".inf", "-1", "+2"));
        Random random = new Random(42);
        String alphabet = "0123456789abcdefxobtzABEFXOTZmMiKGgh.:-_+ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder().append((char) ('0' + random.nextInt(10)));
            for (int n = random.nextInt(8); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(b.toString());
        }
        for (String v : values) {
            assertThat(QUICK.resolve(NodeId.scalar, v, true)).as(v).isEqualTo(FULL.resolve(NodeId.scalar, v, true));
        }
    }
}
