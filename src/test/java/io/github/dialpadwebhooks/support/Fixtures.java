package io.github.dialpadwebhooks.support;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Event fixtures, built from the real Dialpad samples (src/main/resources/samples) by one builder: a test states only
 * what it cares about, and every other field is the sample's.
 * <pre>
 * String hangup = Fixtures.call(7_400_000_000_000_001L).state("hangup").at(1_731_600_000_000L)
 *         .numbers("+15550001", "+15550002").set("date_ended", 1_731_600_000_000L).json();
 * </pre>
 */
public final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode event;

    private Fixtures(ObjectNode event) {
        this.event = event;
    }

    /**
     * A call event: samples/call-ringing.json with this call id and, so that a test's times are its own, every
     * {@code date_*} field null (set the ones the test needs).
     */
    public static Fixtures call(long callId) {
        ObjectNode event = Samples.tree("call-ringing.json");
        Iterator<Map.Entry<String, JsonNode>> fields = event.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().startsWith("date_")) {
                field.setValue(event.nullNode());
            }
        }
        return new Fixtures(event).set("call_id", callId);
    }

    /** An SMS event: samples/sms-inbound.json with this message id. */
    public static Fixtures sms(long messageId) {
        return new Fixtures(Samples.tree("sms-inbound.json")).set("id", messageId);
    }

    public Fixtures state(String state) {
        return set("state", state);
    }

    /** event_timestamp, epoch milliseconds. */
    public Fixtures at(long epochMillis) {
        return set("event_timestamp", epochMillis);
    }

    /** external_number and internal_number (inbound: from external to internal). */
    public Fixtures numbers(String external, String internal) {
        return set("external_number", external).set("internal_number", internal);
    }

    /** Any top-level field; a value of null writes JSON null. */
    public Fixtures set(String field, Object value) {
        event.set(field, MAPPER.valueToTree(value));
        return this;
    }

    /** Any top-level field, as JSON text (an object or a list). */
    public Fixtures setJson(String field, String json) {
        try {
            event.set(field, MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
        return this;
    }

    public Fixtures remove(String field) {
        event.remove(field);
        return this;
    }

    public String json() {
        return Samples.json(event);
    }

    /** The event as a row to insert directly (Events.insert). */
    public Events.Event event(String appId, String eventType, String dialpadEventId) {
        return new Events.Event(appId, eventType, dialpadEventId, json());
    }
}
