package io.github.dialpadwebhooks.processing;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Claimed events of one type, handled together by one set-based statement of that type's projection route. A group
 * of one event is how a failing group is retried event by event, so one poison event fails alone. (A class with
 * plain getters, not a record, so the routes' simple expressions such as {@code ${body.eventType}} are unambiguous.)
 */
public final class EventGroup {

    private final String eventType;
    private final List<UUID> ids;

    public EventGroup(String eventType, List<UUID> ids) {
        this.eventType = eventType;
        this.ids = List.copyOf(ids);
    }

    public String getEventType() {
        return eventType;
    }

    public List<UUID> getIds() {
        return ids;
    }

    public int getSize() {
        return ids.size();
    }

    /** The ids as a PostgreSQL array literal, for {@code CAST(:#... AS uuid[])}. */
    public String getIdArray() {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }

    /** The same events one by one. */
    public List<EventGroup> getSingles() {
        return ids.stream().map(id -> new EventGroup(eventType, List.of(id))).toList();
    }

    @Override
    public String toString() {
        return eventType + " x" + ids.size();
    }
}
