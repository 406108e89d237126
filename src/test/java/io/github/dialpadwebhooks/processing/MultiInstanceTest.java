package io.github.dialpadwebhooks.processing;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances on one database: two Camel contexts (each the whole application) drain the same events. Every
 * event is claimed exactly once (attempts = 1: no event was ever held by both), every row is right, and both
 * instances did part of the work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiInstanceTest {

    RunningApp first;
    RunningApp second;

    @BeforeAll
    void start() throws Exception {
        first = connect(RunningApp.withProperty("processor.poll-delay-ms", "10").and("processor.batch-size", "100"));
        second = connect(RunningApp.withProperty("processor.poll-delay-ms", "10").and("processor.batch-size", "100"));
        first.start();
        second.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (first != null) {
            first.stop();
        }
        if (second != null) {
            second.stop();
        }
    }

    /** How an instance reaches the database: directly here, through PgBouncer in MultiInstanceThroughPgBouncerTest. */
    RunningApp connect(RunningApp app) throws Exception {
        return app;
    }

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_drain_5000_events_with_two_instances_each_event_claimed_once() {
        int calls = 1000;
        List<Events.Event> events = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long callId = 7_200_000_000_000_000L + i;
            long t = 1_731_600_000_000L + i * 1000L;
            events.add(call(callId, "ringing", t).set("date_started", t).event("default", "call.ring", "r" + i));
            events.add(call(callId, "connected", t + 100).set("date_started", t).set("date_connected", t + 100)
                    .event("default", "call.started", "s" + i));
            events.add(call(callId, "hangup", t + 500).set("date_started", t).set("date_connected", t + 100)
                    .set("date_ended", t + 500).set("duration", 400.5).event("default", "call.ended", "e" + i));
            events.add(call(callId, "recording", t + 600)
                    .setJson("recording_details", "[{\"url\":\"https://dialpad.example/r/" + i + "\"}]")
                    .event("default", "call.recording.completed", "c" + i));
            events.add(Fixtures.sms(8_200_000_000_000_000L + i).set("created_date", t).set("event_timestamp", t)
                    .set("from_number", "+15550001").set("to_number", List.of("+15550002")).set("text", "hi " + i)
                    .event("default", "sms.received", "sms:" + i));
        }
        Events.insert(events);

        Events.awaitAllProcessed(Duration.ofSeconds(60));

        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'")).isEqualTo(5000);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE attempts <> 1")).isZero();
        assertThat(Sql.count("SELECT count(DISTINCT claimed_by) FROM webhook_events")).isEqualTo(2);
        Map<String, Object> summary = Sql.rows("SELECT count(*) AS calls, "
                + "count(*) FILTER (WHERE status = 'ended' AND ended_at - started_at = interval '500 ms' "
                + "AND answered_at - started_at = interval '100 ms' AND duration_ms = 400.5 "
                + "AND recording_url = 'https://dialpad.example/r/' || (dialpad_call_id - 7200000000000000) "
                + "AND last_state = 'recording') AS correct FROM calls").get(0);
        assertThat(summary.get("calls")).isEqualTo(1000L);
        assertThat(summary.get("correct")).isEqualTo(1000L);
        assertThat(Sql.count("SELECT count(*) FROM messages WHERE status = 'pending' AND to_number = '{+15550002}'"))
                .isEqualTo(1000);
    }

    @Test
    void should_take_back_an_abandoned_claim_once_its_lease_expires() {
        // an instance claimed it and died: its lease runs 1.5 s more, then anyone may take the event again (stored
        // claimed in one statement, so no live instance can take it before)
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, claimed_by, "
                + "claimed_at, attempts, available_at) VALUES ('default', 'call.ring', 'abandoned', "
                + "'{\"call_id\":7300000000000001,\"state\":\"ringing\",\"direction\":\"inbound\","
                + "\"event_timestamp\":1731600000000}', 'dead-instance', now(), 1, "
                + "clock_timestamp() + interval '1500 ms')");
        OffsetDateTime leaseEnd = (OffsetDateTime) Sql.rows("SELECT available_at FROM webhook_events").get(0)
                .get("available_at");

        Events.awaitAllProcessed(Duration.ofSeconds(20));

        Map<String, Object> row = Sql.rows("SELECT processed_at, outcome, attempts, claimed_by FROM webhook_events")
                .get(0);
        assertThat((OffsetDateTime) row.get("processed_at")).isAfterOrEqualTo(leaseEnd);
        assertThat(row.get("outcome")).isEqualTo("processed");
        assertThat(row.get("attempts")).isEqualTo(2);
        assertThat(row.get("claimed_by")).isNotEqualTo("dead-instance");
        assertThat(Sql.value("SELECT status FROM calls WHERE dialpad_call_id = 7300000000000001")).isEqualTo("ringing");
    }

    private static Fixtures call(long callId, String state, long t) {
        return Fixtures.call(callId).state(state).at(t).numbers("+15550001", "+15550002");
    }
}
