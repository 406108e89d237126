package io.github.dialpadwebhooks.operations;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TcpProxy;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /stats against known row counts, readiness following the database, and the documented metrics. */
class OperationsTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20")
            .and("processor.retry-delay-ms", "60000")
            .and("database.connection-timeout-ms", "1000")
            .and("metrics.refresh-ms", "200")
            .throughProxy();

    @BeforeEach
    void cleanTables() {
        app.databaseProxy().restore();
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_report_stats_that_match_the_rows_per_type_and_per_app() throws Exception {
        List<Events.Event> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(new Events.Event("acme", "call.ring", "r" + i, "{\"call_id\":" + (7_800_000_000_000_000L + i)
                    + ",\"state\":\"ringing\",\"event_timestamp\":1}"));
        }
        for (int i = 0; i < 3; i++) {
            events.add(new Events.Event("default", "sms.received", "s" + i, "{\"id\":" + (7_800_000_000_000_100L + i)
                    + ",\"direction\":\"inbound\",\"message_status\":\"pending\",\"to_number\":[\"+1\"]}"));
        }
        events.add(new Events.Event("default", "crm.note", "c1", "{\"id\":1}"));
        events.add(new Events.Event("default", "call.ended", "bad", "{\"call_id\":1,\"state\":\"hangup\","
                + "\"event_timestamp\":\"not-a-time\"}"));
        Events.insert(events);
        // the bad event fails once and waits a minute for its retry: unprocessed, with lag
        await().atMost(Duration.ofSeconds(10)).until(() -> Sql.count("SELECT count(*) FROM webhook_events "
                + "WHERE processed_at IS NOT NULL") == 11);
        // two events no instance has claimed yet
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "available_at) VALUES ('acme', 'call.ring', 'later-1', '{}', now() - interval '90 seconds', "
                + "now() + interval '1 hour'), ('acme', 'call.ring', 'later-2', '{}', now(), now() + interval '1 hour')");

        JsonNode stats = stats();

        assertThat(stats.get("processed").asLong()).isEqualTo(10);
        assertThat(stats.get("skipped").asLong()).isEqualTo(1);
        assertThat(stats.get("dead_lettered").asLong()).isZero();
        assertThat(stats.get("unprocessed").asLong()).isEqualTo(3);
        assertThat(stats.get("in_flight").asLong()).isZero();
        assertThat(stats.get("lag_seconds").isNumber()).isTrue();
        assertThat(stats.get("lag_seconds").asDouble()).isBetween(89.0, 200.0);
        assertThat(stats.get("oldest_unprocessed").asText()).isNotBlank();
        assertThat(stats.get("max_redeliveries").asInt()).isEqualTo(3);
        JsonNode ring = stats.get("event_types").get("call.ring");
        assertThat(ring.get("processed").asLong()).isEqualTo(7);
        assertThat(ring.get("unprocessed").asLong()).isEqualTo(2);
        assertThat(stats.get("event_types").get("sms.received").get("processed").asLong()).isEqualTo(3);
        assertThat(stats.get("event_types").get("crm.note").get("skipped").asLong()).isEqualTo(1);
        assertThat(stats.get("event_types").get("call.ended").get("unprocessed").asLong()).isEqualTo(1);
        assertThat(stats.get("apps").get("acme").get("processed").asLong()).isEqualTo(7);
        assertThat(stats.get("apps").get("acme").get("unprocessed").asLong()).isEqualTo(2);
        assertThat(stats.get("apps").get("default").get("processed").asLong()).isEqualTo(3);
        assertThat(stats.get("apps").get("default").get("skipped").asLong()).isEqualTo(1);

        // a claim in progress counts as in flight
        Sql.execute("UPDATE webhook_events SET claimed_by = 'other-instance' WHERE dialpad_event_id = 'later-1'");
        assertThat(stats().get("in_flight").asLong()).isEqualTo(1);
    }

    @Test
    void should_turn_not_ready_while_the_database_is_away_and_ready_again_when_it_returns() {
        assertThat(readiness()).isEqualTo(200);

        app.databaseProxy().cut();
        await().atMost(Duration.ofSeconds(15)).until(() -> readiness() == 503);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/observe/health/live")).GET()).statusCode())
                .as("alive all the same").isEqualTo(200);

        app.databaseProxy().restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> readiness() == 200);
    }

    @Test
    void should_expose_every_documented_metric() {
        assertThat(app.post("/webhooks/dialpad", "{\"call_id\":7800000000000999,\"state\":\"ringing\","
                + "\"event_timestamp\":5}").statusCode()).isEqualTo(202);
        assertThat(app.post("/webhooks/dialpad", "[]").statusCode()).isEqualTo(400);
        Events.awaitAllProcessed();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = app.send(HttpRequest.newBuilder(app.managementUri("/observe/metrics")).GET()).body();
            assertThat(metrics)
                    .contains("dialpad_webhooks_received_total{outcome=\"accepted\",reason=\"\"}")
                    .contains("dialpad_webhooks_received_total{outcome=\"rejected\",reason=\"invalid_json\"}")
                    .contains("dialpad_events_processed_total{event_type=\"call.ring\",outcome=\"processed\"}")
                    .contains("dialpad_event_processing_latency_seconds_bucket{event_type=\"call.ring\"")
                    .contains("dialpad_events_unprocessed ")
                    .contains("dialpad_events_in_flight ")
                    .contains("dialpad_events_lag_seconds ")
                    .contains("dialpad_dead_letters_open ")
                    .contains("jvm_memory_used_bytes")
                    .contains("camel_exchanges_total");
        });
    }

    private static int readiness() {
        try {
            return app.send(HttpRequest.newBuilder(app.managementUri("/observe/health/ready")).GET()).statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static JsonNode stats() throws Exception {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }
}
