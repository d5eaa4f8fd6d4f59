package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Objects read from a live cluster rather than from files ({@code audit --cluster}): handed over one at a
 * time as they are listed, so the run holds a page and a batch, never the cluster.
 */
public interface LiveObjects {

    /** Lists everything, calling the sink for each object in turn; blocking, on the audit's own thread. */
    void list(Sink sink) throws IOException;

    /** Where listed objects go. */
    interface Sink {
        /**
         * @param where how a person finds the object again (its API path)
         * @param object the object as the API server returned it, with {@code apiVersion} and {@code kind} set
         */
        void object(String where, JsonNode object) throws IOException;

        /** After every page: kinds finished out of all, objects listed so far. */
        void progress(int kindsDone, int kinds, long objects);
    }
}
