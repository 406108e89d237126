package io.github.dialpadwebhooks.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Claimed events that take the same branch of the router (route-event-group), handled together by one set-based
 * statement per projection: all the call types in one group, for instance. A group of one event is how a failing
 * group is retried event by event, so one poison event fails alone. (A class with plain getters, not a record, so
 * the routes' simple expressions such as {@code ${body.eventType}} are unambiguous.)
 */
public final class EventGroup {

    private final List<UUID> ids;
    private final List<String> types;

    /** Events of one type. */
    public EventGroup(String eventType, List<UUID> ids) {
        this(ids, ids.stream().map(id -> eventType).toList());
    }

    /** Events and their types, in the same order. */
    public EventGroup(List<UUID> ids, List<String> types) {
        if (ids.isEmpty() || ids.size() != types.size()) {
            throw new IllegalArgumentException("a group needs its events and one type per event");
        }
        this.ids = List.copyOf(ids);
        this.types = List.copyOf(types);
    }

    /** The type the router decides on: the first event's (every event of the group takes the same branch). */
    public String getEventType() {
        return types.get(0);
    }

    /** The group's distinct types, in the order they first appear. */
    public List<String> getEventTypes() {
        return types.stream().distinct().toList();
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

    /** The same events one by one, each with its own type. */
    public List<EventGroup> getSingles() {
        List<EventGroup> singles = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            singles.add(new EventGroup(types.get(i), List.of(ids.get(i))));
        }
        return singles;
    }

    @Override
    public String toString() {
        return String.join("+", getEventTypes()) + " x" + ids.size();
    }
}
