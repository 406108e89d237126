package io.github.dialpadwebhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SPEC section 3: turns an authentic event object into {@code (event_type, dialpad_event_id, payload)}.
 *
 * <table>
 * <tr><td>call event, state ringing/calling/preanswer/queued</td><td>call.ring</td></tr>
 * <tr><td>call event, state connected</td><td>call.started</td></tr>
 * <tr><td>call event, state hangup/missed/blocked</td><td>call.ended</td></tr>
 * <tr><td>call event, state recording/admin_recording/voicemail_uploaded</td><td>call.recording.completed</td></tr>
 * <tr><td>any other call state</td><td>call.&lt;state&gt;</td></tr>
 * <tr><td>SMS event, inbound / outbound</td><td>sms.received / sms.sent</td></tr>
 * <tr><td>envelope {event_type, id, payload}</td><td>as given</td></tr>
 * <tr><td>anything else</td><td>dialpad.unknown, id sha256 of the canonical JSON</td></tr>
 * </table>
 */
public final class DialpadEventNormaliser {

    private static final Set<String> RING_STATES = Set.of("ringing", "calling", "preanswer", "queued");
    private static final Set<String> ENDED_STATES = Set.of("hangup", "missed", "blocked");
    private static final Set<String> RECORDING_STATES = Set.of("recording", "admin_recording", "voicemail_uploaded");

    /** Dialpad's call states (its subscription enum, SPEC section 2). */
    public static final Set<String> CALL_STATES = Set.of("admin", "admin_recording", "ai_playbook", "barge", "blocked",
            "call_transcription", "calling", "connected", "csat", "dispositions", "hangup", "hold", "merged", "missed",
            "monitor", "parked", "pcsat", "postcall", "preanswer", "queued", "recap_action_items", "recap_outcome",
            "recap_purposes", "recap_summary", "recording", "ringing", "takeover", "transcription", "voicemail",
            "voicemail_uploaded");

    /**
     * Every event type normalisation makes from Dialpad's documented events. Metrics label events with these (and
     * {@code other} for the rest: envelopes and undocumented call states, whose types a sender chooses).
     */
    public static final Set<String> KNOWN_EVENT_TYPES = knownEventTypes();

    /** A call state becomes part of an event type, so it is held to a plain identifier. */
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern INTEGER_ID = Pattern.compile("-?[0-9]{1,19}");
    private static final int MAX_ENVELOPE_FIELD = 200;

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
            return new NormalisedEvent(callEventType(s), id, originalJson);
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
        return new NormalisedEvent("dialpad.unknown", "sha256:" + sha256Hex(StrictJson.canonical(event)),
                originalJson);
    }

    public static String callEventType(String state) {
        if (RING_STATES.contains(state)) {
            return "call.ring";
        }
        if ("connected".equals(state)) {
            return "call.started";
        }
        if (ENDED_STATES.contains(state)) {
            return "call.ended";
        }
        if (RECORDING_STATES.contains(state)) {
            return "call.recording.completed";
        }
        return "call." + state;
    }

    /** The event type as a metric label: itself when {@link #KNOWN_EVENT_TYPES} has it, else {@code other}. */
    public static String metricLabel(String eventType) {
        return KNOWN_EVENT_TYPES.contains(eventType) ? eventType : "other";
    }

    private static Set<String> knownEventTypes() {
        Set<String> types = new java.util.TreeSet<>(Set.of("sms.received", "sms.sent", "dialpad.unknown",
                "contact.created", "contact.updated", "contact.deleted", "agent.status", "change_log"));
        CALL_STATES.forEach(state -> types.add(callEventType(state)));
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

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
