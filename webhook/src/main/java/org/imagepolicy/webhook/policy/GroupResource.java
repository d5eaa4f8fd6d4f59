package org.imagepolicy.webhook.policy;

import java.util.Objects;

/** A Kubernetes group and resource, as admission requests and policies name them. */
public record GroupResource(String group, String resource) {
    public GroupResource {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
    }

    public static GroupResource of(String group, String resource) {
        return new GroupResource(group == null ? "" : group, resource == null ? "" : resource);
    }

    /** kubectl's spelling: {@code pods}, {@code deployments.apps}. */
    @Override
    public String toString() {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
