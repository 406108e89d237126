package io.github.dialpadwebhooks.processing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Splits a claimed batch for process-webhook-events: the rows grouped by event type, and every claimed id. */
public final class EventGroups {

    /** The claimed rows ({@code id}, {@code event_type}) grouped by type, in the order types first appear. */
    public List<EventGroup> byEventType(List<Map<String, Object>> rows) {
        Map<String, List<UUID>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            groups.computeIfAbsent((String) row.get("event_type"), t -> new ArrayList<>()).add(uuid(row.get("id")));
        }
        List<EventGroup> result = new ArrayList<>();
        groups.forEach((type, ids) -> result.add(new EventGroup(type, ids)));
        return result;
    }

    /** Every claimed id as a PostgreSQL array literal (to release the claims if the batch fails as a whole). */
    public String idArray(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get("id").toString()).collect(Collectors.joining(",", "{", "}"));
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID u ? u : UUID.fromString(value.toString());
    }
}
