package org.imagepolicy.webhook.registry;

/** A manifest or index as fetched: its verified digest, its media type and its bytes. */
record Manifest(String digest, String mediaType, byte[] bytes) {
}
