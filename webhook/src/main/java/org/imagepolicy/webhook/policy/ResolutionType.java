package org.imagepolicy.webhook.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** OpenShift's {@code ImageResolutionType}: whether to resolve tags, whether failing is fatal, whether to pin. */
public enum ResolutionType {
    RequiredRewrite(true, true, true),
    Required(true, true, false),
    AttemptRewrite(true, false, true),
    Attempt(true, false, false),
    DoNotAttempt(false, false, false);

    private final boolean requestsResolution;
    private final boolean failOnResolutionFailure;
    private final boolean rewrite;

    ResolutionType(boolean requestsResolution, boolean failOnResolutionFailure, boolean rewrite) {
        this.requestsResolution = requestsResolution;
        this.failOnResolutionFailure = failOnResolutionFailure;
        this.rewrite = rewrite;
    }

    public boolean requestsResolution() {
        return requestsResolution;
    }

    public boolean failOnResolutionFailure() {
        return failOnResolutionFailure;
    }

    public boolean rewrite() {
        return rewrite;
    }

    /** Exact spelling, as OpenShift compares it; {@code null} for anything else. */
    public static ResolutionType fromName(String name) {
        for (ResolutionType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
