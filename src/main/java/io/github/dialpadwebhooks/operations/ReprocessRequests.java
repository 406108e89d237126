package io.github.dialpadwebhooks.operations;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.admin.AdminRequestException;
import org.apache.camel.Header;

/**
 * POST /events/reprocess: the filter of the query parameters, as the JSON that reprocess_matches() reads
 * (R__operator_controls.sql). The dead-letter API's vocabulary (event_type, app_id, from, to) plus outcome
 * (processed, skipped, dead_lettered) and dialpad_event_id; at least one of them, or all=true, so a bare POST never
 * reprocesses everything by accident.
 */
public final class ReprocessRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OUTCOMES = Set.of("processed", "skipped", "dead_lettered");

    public String filter(@Header("event_type") String eventType, @Header("app_id") String appId,
            @Header("from") String from, @Header("to") String to, @Header("outcome") String outcome,
            @Header("dialpad_event_id") String dialpadEventId, @Header("all") String all)
            throws JsonProcessingException {
        Map<String, String> filter = new TreeMap<>();
        put(filter, "event_type", eventType);
        put(filter, "app_id", appId);
        put(filter, "from", time("from", from));
        put(filter, "to", time("to", to));
        put(filter, "dialpad_event_id", dialpadEventId);
        if (outcome != null && !outcome.isBlank()) {
            if (!OUTCOMES.contains(outcome.trim())) {
                throw new AdminRequestException(400, "invalid_parameter",
                        "outcome is one of processed, skipped, dead_lettered");
            }
            put(filter, "outcome", outcome);
        }
        if (filter.isEmpty() && !"true".equals(all)) {
            throw new AdminRequestException(400, "filter_required", "give event_type, app_id, from, to, outcome or "
                    + "dialpad_event_id (or all=true to reprocess every stored event)");
        }
        return JSON.writeValueAsString(filter);
    }

    private static void put(Map<String, String> filter, String key, String value) {
        if (value != null && !value.isBlank()) {
            filter.put(key, value.trim());
        }
    }

    private static String time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim().replace(' ', '+')).toString();
        } catch (DateTimeParseException e) {
            throw new AdminRequestException(400, "invalid_parameter", name + " must be an ISO-8601 time with an "
                    + "offset, e.g. 2026-12-01T00:00:00Z");
        }
    }
}
