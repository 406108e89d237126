package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Normalisation (docs/ingest.md): turns an authentic event object into {@code (event_type, dialpad_event_id, payload)}.
 *
 * <table>
 * <tr><td>call event</td><td>as {@link CallEventTypes} says (application.properties), else call.&lt;state&gt;</td></tr>
 * <tr><td>SMS event, inbound / outbound</td><td>sms.received / sms.sent</td></tr>
 * <tr><td>contact event (event Created/Updated/Deleted, contact.id)</td><td>contact.created / .updated /
 * .deleted</td></tr>
 * <tr><td>agent status event (target, on_duty_status or availability_status)</td><td>agent.status</td></tr>
 * <tr><td>change log event (action, target, date)</td><td>change_log</td></tr>
 * <tr><td>envelope {event_type, id, payload}</td><td>as given</td></tr>
 * <tr><td>anything else</td><td>dialpad.unknown, id sha256 of the canonical JSON</td></tr>
 * </table>
 */
public final class DialpadEventNormaliser {

    /** The event types that are not call events (call events: {@link CallEventTypes}). */
    private static final Set<String> OTHER_TYPES = Set.of("sms.received", "sms.sent", "dialpad.unknown",
            "contact.created", "contact.updated", "contact.deleted", "agent.status", "change_log",
            // stored by reconcile (Dialpad's API), not by webhooks
            "call.reconciled", "contact.reconciled");

    /** A call state becomes part of an event type, so it is held to a plain identifier. */
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern INTEGER_ID = Pattern.compile("-?[0-9]{1,19}");
    private static final int MAX_ENVELOPE_FIELD = 200;

    private final CallEventTypes callEventTypes;

    public DialpadEventNormaliser(CallEventTypes callEventTypes) {
        this.callEventTypes = callEventTypes;
    }

    /**
     * @param event        the parsed event object
     * @param originalJson its exact text, stored as the payload when the whole object is the event
     */
    public NormalisedEvent normalise(JsonNode event, String originalJson) {
        NormalisedEvent envelope = envelope(event);
        if (envelope != null) {
            return envelope;
        }
        String callId = integerId(event.get("call_id"));
        JsonNode state = event.get("state");
        if (callId != null && state != null && state.isTextual() && STATE.matcher(state.textValue()).matches()) {
            String s = state.textValue();
            String id = "call:" + callId + ":" + s + ":" + scalarText(event.get("event_timestamp"));
            return new NormalisedEvent(callEventTypes.typeOf(s), id, originalJson);
        }
        String smsId = integerId(event.get("id"));
        JsonNode direction = event.get("direction");
        if (smsId != null && callId == null && direction != null && direction.isTextual()
                && (event.has("message_status") || event.has("to_number"))) {
            String type = switch (direction.textValue()) {
                case "inbound" -> "sms.received";
                case "outbound" -> "sms.sent";
                default -> null;
            };
            if (type != null) {
                return new NormalisedEvent(type, "sms:" + smsId + ":" + scalarText(event.get("message_status")),
                        originalJson);
            }
        }
        NormalisedEvent other = otherFamily(event, originalJson);
        if (other != null) {
            return other;
        }
        return new NormalisedEvent("dialpad.unknown", "sha256:" + sha256Hex(StrictJson.canonical(event)),
                originalJson);
    }

    /**
     * Dialpad's other event families, recognised after the call and SMS shapes: contact events ({@code event} and a
     * {@code contact} object with an id), agent status events (a {@code target} object and an on-duty or
     * availability status) and change-log events ({@code action}, a {@code target} object and {@code date}); null for
     * anything else.
     */
    private static NormalisedEvent otherFamily(JsonNode event, String originalJson) {
        JsonNode contact = event.get("contact");
        JsonNode change = event.get("event");
        if (contact != null && contact.isObject() && hasValue(contact, "id") && change != null && change.isTextual()) {
            String kind = change.textValue().toLowerCase(java.util.Locale.ROOT);
            if (kind.equals("created") || kind.equals("updated") || kind.equals("deleted")) {
                // contact events carry no timestamp: the event's own content tells two deliveries apart
                return new NormalisedEvent("contact." + kind, "contact:" + scalarText(contact.get("id")) + ":" + kind
                        + ":" + sha256Hex(StrictJson.canonical(event)), originalJson);
            }
        }
        JsonNode target = event.get("target");
        if (target == null || !target.isObject() || hasValue(event, "call_id")) {
            return null;
        }
        if (hasValue(event, "on_duty_status") || hasValue(event, "availability_status")) {
            JsonNode at = hasValue(event, "event_timestamp") ? event.get("event_timestamp") : event.get("date");
            return new NormalisedEvent("agent.status", "agent_status:" + scalarText(target.get("id")) + ":"
                    + scalarText(at), originalJson);
        }
        JsonNode action = event.get("action");
        if (action != null && action.isTextual() && hasValue(event, "date")) {
            return new NormalisedEvent("change_log", "change_log:" + scalarText(target.get("type")) + ":"
                    + scalarText(target.get("id")) + ":" + action.textValue() + ":" + scalarText(event.get("date")),
                    originalJson);
        }
        return null;
    }

    private static boolean hasValue(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && !value.isNull();
    }

    /**
     * Every event type normalisation makes from Dialpad's documented events. Metrics label events with these (and
     * {@code other} for the rest: envelopes and undocumented call states, whose types a sender chooses).
     */
    public Set<String> knownEventTypes() {
        Set<String> types = new java.util.TreeSet<>(OTHER_TYPES);
        types.addAll(callEventTypes.types());
        return Set.copyOf(types);
    }

    /** {@code {"event_type": "...", "id": ..., "payload": {...}}}: stored as given, the payload object as the event. */
    private static NormalisedEvent envelope(JsonNode event) {
        JsonNode type = event.get("event_type");
        JsonNode id = event.get("id");
        JsonNode payload = event.get("payload");
        if (type == null || !type.isTextual() || payload == null || !payload.isObject() || id == null) {
            return null;
        }
        String idText = id.isTextual() ? id.textValue() : id.isIntegralNumber() ? id.bigIntegerValue().toString() : null;
        String typeText = type.textValue().strip();
        if (idText == null || idText.isBlank() || typeText.isEmpty()) {
            return null;
        }
        if (idText.length() > MAX_ENVELOPE_FIELD || typeText.length() > MAX_ENVELOPE_FIELD) {
            throw WebhookRejectedException.badRequest("invalid_event",
                    "envelope event_type and id must be at most " + MAX_ENVELOPE_FIELD + " characters");
        }
        return new NormalisedEvent(typeText, idText, payload.toString());
    }

    /** An int64 id given as a JSON integer or a string of digits, as exact text; null otherwise. */
    private static String integerId(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Long.toString(node.longValue());
        }
        if (node.isTextual() && INTEGER_ID.matcher(node.textValue()).matches()) {
            try {
                return Long.toString(Long.parseLong(node.textValue()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A scalar field as it appears in an event id ({@code null} when missing). */
    private static String scalarText(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return StrictJson.canonicalNumber(node.decimalValue());
        }
        return node.isValueNode() ? node.asText() : StrictJson.canonical(node);
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
