package io.github.dialpadwebhooks.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Puts events straight into webhook_events (the four columns a valid unprocessed event needs, as the data model
 * promises) and waits for the processing routes to finish them.
 */
public final class Events {

    private Events() {
    }

    public record Event(String appId, String eventType, String dialpadEventId, String payloadJson) {
    }

    public static void insert(String eventType, String dialpadEventId, String payloadJson) {
        insert(List.of(new Event("default", eventType, dialpadEventId, payloadJson)));
    }

    /** Inserts in one transaction, so the processor sees the events together (one batch where they fit). */
    public static void insert(List<Event> events) {
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_events "
                        + "(app_id, event_type, dialpad_event_id, payload) VALUES (?, ?, ?, CAST(? AS jsonb))")) {
            c.setAutoCommit(false);
            for (Event e : events) {
                ps.setString(1, e.appId());
                ps.setString(2, e.eventType());
                ps.setString(3, e.dialpadEventId());
                ps.setString(4, e.payloadJson());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long unprocessed() {
        return Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NULL");
    }

    /** Waits until every event has an outcome (processed, skipped or dead-lettered). */
    public static void awaitAllProcessed(Duration timeout) {
        awaitAllProcessed(timeout, Duration.ofMillis(20));
    }

    /** A longer poll interval keeps the waiting itself from loading the database (benchmarks). */
    public static void awaitAllProcessed(Duration timeout, Duration pollInterval) {
        await().atMost(timeout).pollInterval(pollInterval).until(() -> unprocessed() == 0);
    }

    public static void awaitAllProcessed() {
        awaitAllProcessed(Duration.ofSeconds(20));
    }
}
