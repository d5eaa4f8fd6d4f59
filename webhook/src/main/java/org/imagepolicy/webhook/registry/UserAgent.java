package org.imagepolicy.webhook.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * How the webhook names itself to registries, {@code image-policy-webhook/VERSION}, so registry operators can
 * tell its lookups from pulls. The version is written into {@code version.properties} at build time.
 */
public final class UserAgent {
    public static final String VERSION = readVersion();
    public static final String VALUE = "image-policy-webhook/" + VERSION;

    private UserAgent() {
    }

    private static String readVersion() {
        try (InputStream in = UserAgent.class.getResourceAsStream("/org/imagepolicy/webhook/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: a build without the resource still names itself
        }
        return "unknown";
    }
}
