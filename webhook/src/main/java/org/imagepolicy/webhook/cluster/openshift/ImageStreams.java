package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The image streams of the cluster as the informer last saw them, by namespace and name. */
final class ImageStreams {
    private final Map<String, StreamRecord> streams = new ConcurrentHashMap<>();

    void put(JsonNode stream) {
        StreamRecord s = StreamRecord.of(stream);
        streams.put(key(s.namespace(), s.name()), s);
    }

    void remove(String namespace, String name) {
        streams.remove(key(namespace, name));
    }

    StreamRecord get(String namespace, String name) {
        return streams.get(key(namespace, name));
    }

    int size() {
        return streams.size();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
