package io.github.dialpadwebhooks.dialpad;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dialpadwebhooks.ingest.Hs256Jwt;

/**
 * {@code send} (docs/developing-routes.md): posts a Dialpad event to a running service the way Dialpad does, like
 * {@code stripe trigger}: a bundled sample (src/main/resources/samples: every family) or a file, optionally retimed
 * to now and given fresh ids, signed as an HS256 JWT with the configured secret (or sent as plain JSON when there is
 * none), then prints the answer. {@code --flow call-centre} posts a whole multi-leg call-centre call (an entry leg,
 * a leg an agent missed, a leg an agent answered with its recording and recap) in a random order with duplicates.
 */
public final class TestEventSender {

    /** The samples bundled in the jar. */
    public static final List<String> SAMPLES = List.of("call-ringing", "call-hangup", "call-recording",
            "call-recap-summary", "sms-inbound", "contact-created", "agent-status", "change-log");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI target;
    private final byte[] secret;
    private final PrintStream out;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param secret null: plain JSON, as Dialpad sends when the webhook has no secret */
    public TestEventSender(URI target, byte[] secret, PrintStream out, long seed) {
        this.target = target;
        this.secret = secret;
        this.out = out;
        this.random = new Random(seed);
    }

    /** The event of a sample name or a file path. */
    public static ObjectNode load(String sampleOrFile) throws IOException {
        if (SAMPLES.contains(sampleOrFile)) {
            try (InputStream in = TestEventSender.class.getClassLoader()
                    .getResourceAsStream("samples/" + sampleOrFile + ".json")) {
                return (ObjectNode) JSON.readTree(in);
            }
        }
        Path file = Path.of(sampleOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no sample or file '" + sampleOrFile + "'; samples: " + String.join(", ", SAMPLES));
        }
        JsonNode event = JSON.readTree(Files.readString(file));
        if (!event.isObject()) {
            throw new IOException(sampleOrFile + " does not hold a JSON object");
        }
        return (ObjectNode) event;
    }

    /** Every epoch-millisecond time of the event moved by the same amount, so that its latest one is now. */
    public static void retime(ObjectNode event, long nowMillis) {
        long latest = latestTime(event);
        if (latest > 0) {
            shiftTimes(event, nowMillis - latest);
        }
    }

    /** Fresh ids: the call (and its legs' links), the SMS, the contact, so that the event is new to the service. */
    public void newIds(ObjectNode event) {
        long base = 7_000_000_000_000_000L + Math.floorMod(random.nextLong(), 1_000_000_000_000_000L);
        for (String field : List.of("call_id", "id")) {
            if (event.path(field).isIntegralNumber()) {
                event.put(field, base);
            }
        }
        if (event.path("contact").isObject() && event.path("contact").path("id").isValueNode()
                && !event.has("call_id")) {
            ((ObjectNode) event.get("contact")).put("id", Long.toString(base));
        }
    }

    /** Signs (when there is a secret) and posts one event; prints and returns the status. */
    public int post(JsonNode event) throws IOException, InterruptedException {
        String json = JSON.writeValueAsString(event);
        String body = secret == null ? json : Hs256Jwt.sign(json, secret);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                .header("Content-Type", secret == null ? "application/json" : "application/jwt")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        out.println("POST " + target + " " + describe(event) + (secret == null ? " (unsigned)" : " (signed HS256)")
                + " -> " + response.statusCode() + " " + response.body());
        return response.statusCode();
    }

    /**
     * A call-centre call: the entry leg (call centre), a leg agent 5001 missed and a leg agent 5002 answered (its
     * recording and recap), every state of each leg, shuffled, with every third event sent twice. Returns how many
     * posts were not answered 2xx.
     */
    public int callCentreFlow(long nowMillis) throws IOException, InterruptedException {
        ObjectNode template = load("call-hangup");
        long root = 7_100_000_000_000_000L + Math.floorMod(random.nextLong(), 100_000_000_000_000L);
        long t0 = nowMillis - 400_000;
        List<ObjectNode> events = new ArrayList<>();
        // the entry leg
        events.add(leg(template, root, root, null, "calling", t0, "callcenter", 9000));
        events.add(leg(template, root, root, null, "hangup", t0 + 390_000, "callcenter", 9000)
                .put("date_ended", t0 + 390_000));
        // agent 5001 misses
        events.add(leg(template, root + 1, root, root, "ringing", t0 + 2_000, "user", 5001));
        events.add(leg(template, root + 1, root, root, "missed", t0 + 20_000, "user", 5001)
                .put("date_ended", t0 + 20_000));
        // agent 5002 answers, talks five minutes, then the recording and the recap arrive
        events.add(leg(template, root + 2, root, root, "ringing", t0 + 21_000, "user", 5002));
        events.add(leg(template, root + 2, root, root, "connected", t0 + 25_000, "user", 5002)
                .put("date_connected", t0 + 25_000));
        events.add(leg(template, root + 2, root, root, "hangup", t0 + 325_000, "user", 5002)
                .put("date_connected", t0 + 25_000).put("date_ended", t0 + 325_000).put("talk_time", 300_000));
        ObjectNode recording = leg(template, root + 2, root, root, "recording", t0 + 330_000, "user", 5002);
        recording.putArray("recording_details").addObject().put("id", "rec-" + (root + 2))
                .put("url", "https://dialpad.example/recording/" + (root + 2)).put("recording_type", "callrecording")
                .put("duration", 300_000).put("start_time", t0 + 25_000);
        events.add(recording);
        events.add(leg(template, root + 2, root, root, "recap_summary", t0 + 340_000, "user", 5002)
                .put("recap_summary", "The customer asked about an invoice; the agent resent it."));
        List<ObjectNode> sends = new ArrayList<>(events);
        for (int i = 0; i < events.size(); i += 3) {
            sends.add(events.get(i));
        }
        Collections.shuffle(sends, random);
        out.println("call-centre flow: interaction " + root + ", legs " + root + ", " + (root + 1) + ", " + (root + 2)
                + "; " + events.size() + " events, " + sends.size() + " posts in a random order with duplicates");
        int failed = 0;
        for (ObjectNode event : sends) {
            int status = post(event);
            failed += status / 100 == 2 ? 0 : 1;
        }
        return failed;
    }

    private static ObjectNode leg(ObjectNode template, long callId, long entry, Long master, String state, long at,
            String targetType, long targetId) {
        ObjectNode event = template.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().startsWith("date_")) {
                field.setValue(event.nullNode());
            }
        }
        event.put("call_id", callId).put("state", state).put("event_timestamp", at).put("date_started", entry == callId
                ? at : at - 1_000);
        event.put("entry_point_call_id", callId == entry ? null : entry);
        if (master == null) {
            event.putNull("master_call_id");
        } else {
            event.put("master_call_id", master);
        }
        event.set("target", JSON.createObjectNode().put("id", targetId).put("name", targetType + " " + targetId)
                .put("type", targetType));
        event.put("talk_time", 0).putArray("recording_details");
        return event;
    }

    private static String describe(JsonNode event) {
        if (event.has("call_id")) {
            return "call " + event.get("call_id").asText() + " " + event.path("state").asText();
        }
        if (event.has("message_status") || event.has("to_number")) {
            return "sms " + event.path("id").asText() + " " + event.path("direction").asText();
        }
        if (event.has("contact")) {
            return "contact " + event.path("contact").path("id").asText() + " " + event.path("event").asText();
        }
        return "event";
    }

    private static boolean isTime(String field) {
        return field.startsWith("date_") || field.equals("event_timestamp") || field.equals("created_date")
                || field.equals("start_time") || field.equals("date");
    }

    private static long latestTime(JsonNode node) {
        long latest = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (isTime(field.getKey()) && field.getValue().isIntegralNumber()) {
                latest = Math.max(latest, field.getValue().longValue());
            }
        }
        return latest;
    }

    private static void shiftTimes(JsonNode node, long delta) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isTime(field.getKey()) && field.getValue().isIntegralNumber()) {
                    field.setValue(JSON.getNodeFactory().numberNode(field.getValue().longValue() + delta));
                } else {
                    shiftTimes(field.getValue(), delta);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> shiftTimes(child, delta));
        }
    }
}
