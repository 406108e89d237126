package io.github.dialpadwebhooks.processing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Claimed events that take the same branch of the router (route-event-group), handled together by one set-based
 * statement per projection: all the call types in one group, for instance. A group of one event is how a failing
 * group is retried event by event, so one poison event fails alone. The events' {@code received_at} bound the
 * statements' reads to the day partitions that hold them ({@link #getReceivedFrom()}, docs/partitioning.md). (A
 * class with plain getters, not a record, so the routes' simple expressions such as {@code ${body.eventType}} are
 * unambiguous.)
 */
public final class EventGroup {

    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

    private final List<UUID> ids;
    private final List<String> types;
    private final List<Instant> received;

    /** Events of one type, when they were received unknown. */
    public EventGroup(String eventType, List<UUID> ids) {
        this(ids, ids.stream().map(id -> eventType).toList());
    }

    /** Events and their types, in the same order, when they were received unknown. */
    public EventGroup(List<UUID> ids, List<String> types) {
        this(ids, types, Arrays.asList(new Instant[ids.size()]));
    }

    /** Events, their types and when they were received (null: unknown), in the same order. */
    public EventGroup(List<UUID> ids, List<String> types, List<Instant> received) {
        if (ids.isEmpty() || ids.size() != types.size() || ids.size() != received.size()) {
            throw new IllegalArgumentException("a group needs its events and one type per event");
        }
        this.ids = List.copyOf(ids);
        this.types = List.copyOf(types);
        this.received = new ArrayList<>(received);
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

    /**
     * The earliest {@code received_at} of the events, for {@code e.received_at BETWEEN CAST(:#...receivedFrom AS
     * timestamptz) AND CAST(:#...receivedTo AS timestamptz)}. A timestamp, not text: PostgreSQL then knows the value
     * when it plans the statement and leaves the other day partitions out of the plan altogether (text cast to
     * timestamptz depends on the session's time zone, so it is only known when the statement runs). When one of
     * the events' times is unknown, the widest bound: never wrong, only slower.
     */
    public OffsetDateTime getReceivedFrom() {
        return received.contains(null) ? EARLIEST
                : received.stream().min(Instant::compareTo).orElseThrow().atOffset(ZoneOffset.UTC);
    }

    /** The latest {@code received_at} of the events (the widest bound when one is unknown). */
    public OffsetDateTime getReceivedTo() {
        return received.contains(null) ? LATEST
                : received.stream().max(Instant::compareTo).orElseThrow().atOffset(ZoneOffset.UTC);
    }

    /** The same events one by one, each with its own type. */
    public List<EventGroup> getSingles() {
        List<EventGroup> singles = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            singles.add(new EventGroup(List.of(ids.get(i)), List.of(types.get(i)),
                    Arrays.asList(received.get(i))));
        }
        return singles;
    }

    @Override
    public String toString() {
        return String.join("+", getEventTypes()) + " x" + ids.size();
    }
}
