package io.github.dialpadwebhooks.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Dialpad REST API (v2) for tests, built from the documented request and response shapes (Dialpad's OpenAPI:
 * {@code GET /api/v2/call} with {@code started_after} / {@code started_before} in epoch ms and newest calls first,
 * {@code GET /api/v2/contacts}, {@code /api/v2/webhooks}, {@code /api/v2/subscriptions/<kind>}; lists as
 * {@code {"items": [...], "cursor": "..."}}; ids as JSON strings, as Dialpad's examples send them; subscriptions
 * name their webhook with {@code endpoint_id} and answer with the {@code webhook} object). Bearer key checked (401).
 *
 * <p>Faults on demand: the next answers of a path as a given status (429 with {@code Retry-After}, 5xx), every
 * page of the call list from the n-th on failing, slow answers. Every request is logged ({@link #requests()}).
 */
public final class DialpadApiStub implements AutoCloseable {

    public static final String KEY = "stub-dialpad-api-key-7f3a9c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Fault(String pathPrefix, int status, String retryAfter) {
    }

    private final HttpServer server;
    private final List<ObjectNode> calls = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> contacts = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> webhooks = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> subscriptions = new HashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile int pageSize = 10;
    private volatile int callPagesFailingFrom = Integer.MAX_VALUE;
    private volatile long delayMillis;

    private DialpadApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public static DialpadApiStub start() {
        try {
            return new DialpadApiStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Back to an empty Dialpad, no faults, pages of 10. */
    public synchronized void reset() {
        calls.clear();
        contacts.clear();
        webhooks.clear();
        subscriptions.clear();
        faults.clear();
        requests.clear();
        pageSize = 10;
        callPagesFailingFrom = Integer.MAX_VALUE;
        delayMillis = 0;
    }

    /** A concluded call as GET /api/v2/call lists it (ids and dates as strings, as Dialpad's examples). */
    public ObjectNode addCall(long callId, long startedMillis, long endedMillis) {
        ObjectNode call = JSON.createObjectNode();
        call.put("call_id", Long.toString(callId));
        call.put("date_started", Long.toString(startedMillis));
        call.put("date_rang", Long.toString(startedMillis));
        call.put("date_connected", Long.toString(startedMillis + 5_000));
        call.put("date_ended", Long.toString(endedMillis));
        call.put("event_timestamp", Long.toString(endedMillis));
        call.put("direction", "inbound");
        call.put("external_number", "+15550100" + (callId % 100));
        call.put("internal_number", "+15550999");
        call.put("state", "hangup");
        call.put("duration", (double) (endedMillis - startedMillis - 5_000));
        call.put("total_duration", (double) (endedMillis - startedMillis));
        call.put("was_recorded", false);
        call.set("target", JSON.createObjectNode().put("id", "5001").put("name", "Agent").put("type", "user")
                .put("email", "agent@example.com").put("phone", "+15550999"));
        call.set("contact", JSON.createObjectNode().put("id", "c" + callId).put("name", "Caller")
                .put("phone", "+15550100").put("type", "local").put("email", ""));
        calls.add(call);
        return call;
    }

    public ObjectNode addContact(String id, String firstName) {
        ObjectNode contact = JSON.createObjectNode().put("id", id).put("first_name", firstName)
                .put("last_name", "Example").put("display_name", firstName + " Example").put("type", "shared");
        contact.putArray("phones").add("+1555010" + Math.abs(id.hashCode() % 1000));
        contacts.add(contact);
        return contact;
    }

    /** Answer the next {@code times} requests whose path starts with {@code pathPrefix} with this status. */
    public synchronized void failNext(String pathPrefix, int status, int times, String retryAfter) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(pathPrefix, status, retryAfter));
        }
    }

    /** Every page of the call list from this one (1 = the first) answers 500, until {@link #heal()}. */
    public void failCallPagesFrom(int page) {
        callPagesFailingFrom = page;
    }

    public void heal() {
        callPagesFailingFrom = Integer.MAX_VALUE;
    }

    public void pageSize(int size) {
        pageSize = size;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    /** "METHOD /path?query" of every request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<ObjectNode> webhooks() {
        return List.copyOf(webhooks.values());
    }

    public synchronized List<ObjectNode> subscriptions(String kind) {
        return List.copyOf(subscriptions.getOrDefault(kind, Map.of()).values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            handleOpen(exchange);
        }
    }

    private void handleOpen(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            requests.add(method + " " + path + (rawQuery == null ? "" : "?" + rawQuery));
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, error("invalid API key"));
                return;
            }
            Fault fault = nextFault(path);
            if (fault != null) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                answer(exchange, fault.status(), error("fault injected: " + fault.status()));
                return;
            }
            Map<String, String> query = query(rawQuery);
            JsonNode body = null;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                if (bytes.length > 0) {
                    body = JSON.readTree(bytes);
                }
            }
            answer(exchange, 200, route(method, path, query, body, exchange));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            answer(exchange, 500, error(e.toString()));
        }
    }

    private synchronized Fault nextFault(String path) {
        for (Fault f : faults) {
            if (path.startsWith(f.pathPrefix())) {
                faults.remove(f);
                return f;
            }
        }
        return null;
    }

    private synchronized JsonNode route(String method, String path, Map<String, String> query, JsonNode body,
            HttpExchange exchange) {
        if (method.equals("GET") && path.equals("/api/v2/call")) {
            long after = Long.parseLong(query.getOrDefault("started_after", "0"));
            long before = Long.parseLong(query.getOrDefault("started_before", Long.toString(Long.MAX_VALUE)));
            List<ObjectNode> matching = calls.stream()
                    .filter(c -> started(c) > after && started(c) < before)
                    .sorted(Comparator.comparingLong(DialpadApiStub::started).reversed()).toList();
            int offset = offset(query.get("cursor"));
            if (offset / pageSize + 1 >= callPagesFailingFrom) {
                throw new IllegalStateException("the call list is failing (injected)");
            }
            return page(matching, offset);
        }
        if (method.equals("GET") && path.equals("/api/v2/contacts")) {
            return page(contacts, offset(query.get("cursor")));
        }
        if (path.equals("/api/v2/webhooks")) {
            if (method.equals("GET")) {
                return page(new ArrayList<>(webhooks.values()), offset(query.get("cursor")));
            }
            String id = Long.toString(ids.incrementAndGet());
            ObjectNode webhook = JSON.createObjectNode().put("id", id).put("hook_url", body.path("hook_url").asText());
            webhook.set("signature", signature(body.path("secret").asText(null)));
            webhooks.put(id, webhook);
            return webhook;
        }
        if (path.startsWith("/api/v2/webhooks/") && method.equals("PATCH")) {
            ObjectNode webhook = webhooks.get(path.substring("/api/v2/webhooks/".length()));
            if (body.has("hook_url")) {
                webhook.put("hook_url", body.get("hook_url").asText());
            }
            if (body.has("secret")) {
                webhook.set("signature", signature(body.get("secret").asText()));
            }
            return webhook;
        }
        if (path.startsWith("/api/v2/subscriptions/")) {
            String[] parts = path.substring("/api/v2/subscriptions/".length()).split("/");
            Map<String, ObjectNode> kind = subscriptions.computeIfAbsent(parts[0], k -> new LinkedHashMap<>());
            if (parts.length == 1 && method.equals("GET")) {
                return page(new ArrayList<>(kind.values()), offset(query.get("cursor")));
            }
            ObjectNode subscription;
            if (parts.length == 1 && method.equals("POST")) {
                subscription = JSON.createObjectNode().put("id", Long.toString(ids.incrementAndGet()));
                kind.put(subscription.get("id").asText(), subscription);
            } else if (parts.length == 2 && method.equals("PATCH")) {
                subscription = kind.get(parts[1]);
            } else {
                throw new IllegalArgumentException(method + " " + path);
            }
            body.fields().forEachRemaining(f -> {
                if (f.getKey().equals("endpoint_id")) {
                    subscription.set("webhook", webhooks.get(f.getValue().asText()).deepCopy());
                } else {
                    subscription.set(f.getKey(), f.getValue());
                }
            });
            return subscription;
        }
        throw new IllegalArgumentException("not in the stub: " + method + " " + path);
    }

    private ObjectNode page(List<ObjectNode> all, int offset) {
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        all.stream().skip(offset).limit(pageSize).forEach(items::add);
        if (offset + pageSize < all.size()) {
            page.put("cursor", "c" + Integer.toHexString(offset + pageSize) + "x");
        }
        return page;
    }

    private static int offset(String cursor) {
        return cursor == null ? 0 : Integer.parseInt(cursor.substring(1, cursor.length() - 1), 16);
    }

    private static long started(JsonNode call) {
        return Long.parseLong(call.path("date_started").asText());
    }

    private static ObjectNode signature(String secret) {
        return secret == null ? null
                : JSON.createObjectNode().put("algo", "HS256").put("secret", secret).put("type", "jwt");
    }

    private static ObjectNode error(String message) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("code", 0);
        return error;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
