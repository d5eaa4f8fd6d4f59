package org.imagepolicy.webhook.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CRUD mock API server, with the paging a real one has: fabric8's 7.7.0 mock ignores {@code limit}
 * and {@code continue} and answers every list whole (seen: its list of 2,400 pods with limit=100 came
 * back whole, without a continue token). Lists are cut in the API server's key order ({@code namespace/name})
 * and continued from an offset token; everything else goes to the CRUD dispatcher untouched.
 */
final class PagingDispatcher extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A list request as received: its path without the query, and its limit (null when unlimited). */
    record ListRequest(String path, Long limit, String continueToken, int items) {
    }

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    final List<ListRequest> lists = new CopyOnWriteArrayList<>();
    /**
     * The next continued list of this path is answered 410 Gone, as an API server answers a token whose
     * snapshot was compacted away; with a fresh token in the Status when {@link #expireWithToken}.
     */
    volatile String expireNext;
    volatile boolean expireWithToken;
    final List<String> expired = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int q = path.indexOf('?');
        if (!"GET".equals(request.getMethod()) || q < 0 || path.contains("watch=true")) {
            return crud.dispatch(request);
        }
        Long limit = null;
        String token = null;
        List<String> kept = new ArrayList<>();
        for (String param : path.substring(q + 1).split("&")) {
            if (param.startsWith("limit=")) {
                limit = Long.parseLong(param.substring(6));
            } else if (param.startsWith("continue=")) {
                token = URLDecoder.decode(param.substring(9), StandardCharsets.UTF_8);
            } else {
                kept.add(param);
            }
        }
        String bare = path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        if (token != null && path.substring(0, q).equals(expireNext)) {
            expireNext = null;
            expired.add(path.substring(0, q));
            ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                    .put("reason", "Expired").put("code", 410)
                    .put("message", "The provided continue parameter is too old to display a consistent list result.");
            if (expireWithToken) {
                status.putObject("metadata").put("continue", token); // an offset: "the next key", in this mock's only snapshot
            }
            return new MockResponse().setResponseCode(410).setBody(status.toString());
        }
        MockResponse whole = crud.handleGet(bare);
        if (limit == null || whole.code() != 200) {
            return whole;
        }
        try {
            ObjectNode list = (ObjectNode) JSON.readTree(whole.getBody().getBytes());
            List<JsonNode> items = new ArrayList<>();
            list.path("items").forEach(items::add);
            // The API server's order: its storage keys, namespace/name compared as one string.
            items.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText() + "/"
                    + i.path("metadata").path("name").asText()));
            int from = token == null || token.isEmpty() ? 0 : Integer.parseInt(token);
            int to = (int) Math.min(items.size(), from + limit);
            ArrayNode page = JSON.createArrayNode();
            items.subList(from, to).forEach(page::add);
            list.set("items", page);
            ObjectNode metadata = list.with("metadata");
            if (to < items.size()) {
                metadata.put("continue", String.valueOf(to)).put("remainingItemCount", items.size() - to);
            } else {
                metadata.remove("continue");
            }
            lists.add(new ListRequest(path.substring(0, q), limit, token, to - from));
            return new MockResponse().setResponseCode(200).setHeaders(whole.getHeaders()).setBody(JSON.writeValueAsBytes(list));
        } catch (IOException e) {
            throw new IllegalStateException("the CRUD mock sent a list that is not JSON", e);
        }
    }
}
