package io.github.dialpadwebhooks.dialpad;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Dialpad's REST API (v2), as much of it as reconcile and setup need: JSON over HTTPS with the API key as a bearer
 * token. Rate limits are honoured: a 429 waits for its {@code Retry-After} (capped) and is tried again; a 5xx, a
 * timeout or a broken connection is tried again with exponential back-off; any other 4xx fails at once. Every answer
 * that is not a 2xx counts as an API error ({@link #errors()}).
 *
 * <p>The key is only ever put in the {@code Authorization} header: no message, exception or log line this class
 * writes contains it (nor a response body, which is cut to its error message).
 */
public final class DialpadApi {

    /** One page of a list: its items and the cursor of the next page (null on the last). */
    public record Page(List<JsonNode> items, String cursor) {
    }

    /** A request that failed for good; {@code status} 0 when no answer came. */
    public static final class DialpadApiException extends IOException {
        private final int status;

        public DialpadApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Waits between attempts; tests replace it. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public record Options(Duration requestTimeout, int maxAttempts, Duration maxRetryWait, Duration firstBackoff) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), 5, Duration.ofSeconds(60), Duration.ofSeconds(1));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final Options options;
    private final Sleeper sleeper;
    private final HttpClient http;
    private final AtomicInteger errors = new AtomicInteger();

    public DialpadApi(String baseUrl, String apiKey, Options options, Sleeper sleeper) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("no Dialpad API key configured (DIALPAD_API_KEY)");
        }
        String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(url);
        this.apiKey = apiKey.trim();
        this.options = options;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(options.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public DialpadApi(String baseUrl, String apiKey, Options options) {
        this(baseUrl, apiKey, options, d -> Thread.sleep(d.toMillis()));
    }

    /** How many answers were not 2xx (or never came) since this client was made. */
    public int errors() {
        return errors.get();
    }

    public JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
        return send("GET", path, query, null);
    }

    public JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send("POST", path, Map.of(), body);
    }

    public JsonNode patch(String path, JsonNode body) throws IOException, InterruptedException {
        return send("PATCH", path, Map.of(), body);
    }

    /** One page of a list endpoint ({@code {"items": [...], "cursor": "..."}}); {@code cursor} null for the first. */
    public Page page(String path, Map<String, String> query, String cursor) throws IOException, InterruptedException {
        Map<String, String> q = new LinkedHashMap<>(query);
        if (cursor != null) {
            q.put("cursor", cursor);
        }
        JsonNode answer = get(path, q);
        List<JsonNode> items = new ArrayList<>();
        JsonNode list = answer.path("items");
        if (list.isArray()) {
            list.forEach(items::add);
        }
        JsonNode next = answer.get("cursor");
        String nextCursor = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        return new Page(items, items.isEmpty() ? null : nextCursor);
    }

    /** Every item of a list endpoint, page after page. */
    public List<JsonNode> all(String path, Map<String, String> query) throws IOException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            Page page = page(path, query, cursor);
            items.addAll(page.items());
            cursor = page.cursor();
        } while (cursor != null);
        return items;
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private JsonNode send(String method, String path, Map<String, String> query, JsonNode body)
            throws IOException, InterruptedException {
        URI uri = URI.create(base + path + queryString(query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.requestTimeout())
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        String what = method + " " + path;
        Duration backoff = options.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                errors.incrementAndGet();
                if (attempt >= options.maxAttempts()) {
                    throw new DialpadApiException(0, what + ": no answer after " + attempt + " attempts ("
                            + e.getClass().getSimpleName() + ")");
                }
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
                continue;
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                String text = response.body();
                return text == null || text.isBlank() ? object() : JSON.readTree(text);
            }
            errors.incrementAndGet();
            boolean retry = status == 429 || status >= 500;
            if (!retry || attempt >= options.maxAttempts()) {
                throw new DialpadApiException(status, what + " answered " + status
                        + (retry ? " " + attempt + " times" : "") + errorMessage(response.body()));
            }
            Duration wait = status == 429 ? retryAfter(response).orElse(backoff) : backoff;
            sleeper.sleep(wait.compareTo(options.maxRetryWait()) > 0 ? options.maxRetryWait() : wait);
            backoff = backoff.multipliedBy(2);
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException notADate) {
                    return java.util.Optional.empty();
                }
            }
        });
    }

    /** The error's own message when the body says one (Dialpad: {"error": {"message": ...}}), cut short. */
    private static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode message = node.path("error").path("message");
            if (message.isMissingNode()) {
                message = node.path("message");
            }
            if (message.isTextual()) {
                String text = message.textValue();
                return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
            }
        } catch (IOException notJson) {
            // fall through: no message
        }
        return "";
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        query.forEach((k, v) -> s.append(s.length() == 0 ? '?' : '&').append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }
}
