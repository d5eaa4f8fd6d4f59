package org.imagepolicy.webhook.registry;

import io.vertx.core.MultiMap;

/** A registry's answer, with its body read in full (within the size cap of the request). */
record RegistryResponse(int status, MultiMap headers, byte[] body) {
    String header(String name) {
        return headers.get(name);
    }
}
