package io.github.dialpadwebhooks.operations;

import java.time.Duration;

import java.util.concurrent.TimeUnit;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retention deletes exactly the processed events (and dead letters) older than configured, in small batches. */
class RetentionTest {

    @Test
    void should_delete_exactly_the_old_processed_events_and_old_dead_letters() throws Exception {
        TestDatabase.get().truncateAll();
        // 2,500 processed 40 days ago (three batches of 1,000), 10 processed yesterday, 5 unprocessed from 40 days
        // ago (never deleted), dead letters 100 and 5 days old (replayed), and an open one 100 days old (kept)
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) SELECT 'default', 'call.ring', 'old-' || g, '{}', now() - interval '41 days', "
                + "now() - interval '40 days', 'processed' FROM generate_series(1, 2500) g");
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) SELECT 'default', 'call.ring', 'recent-' || g, '{}', now() - interval '1 day', "
                + "now() - interval '1 day', 'skipped' FROM generate_series(1, 10) g");
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "available_at) SELECT 'default', 'call.ring', 'pending-' || g, '{}', now() - interval '40 days', "
                + "now() + interval '1 hour' FROM generate_series(1, 5) g");
        Sql.execute("INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, "
                + "attempts, failed_at, replayed_at) SELECT gen_random_uuid(), 'default', 'call.ended', 'dl-' || g, "
                + "'{}', 4, now() - (g || ' days')::interval, now() FROM generate_series(5, 100, 95) g");
        Sql.execute("INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, "
                + "attempts, failed_at) VALUES (gen_random_uuid(), 'default', 'call.ended', 'dl-open-100', '{}', 4, "
                + "now() - interval '100 days')");
        Sql.execute("SELECT webhook_event_totals_rebuild()");

        RunningApp app = RunningApp.withProperty("processor.enabled", "false")
                .and("retention.initial-delay-ms", "100").and("retention.interval-ms", "60000")
                .and("retention.dead-letters-days", "30");
        app.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count(
                    "SELECT count(*) FROM webhook_events WHERE dialpad_event_id LIKE 'old-%'") == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> Sql.count(
                    "SELECT count(*) FROM webhook_dead_letters") == 2);
        } finally {
            app.stop();
        }

        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE dialpad_event_id LIKE 'recent-%'"))
                .isEqualTo(10);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE dialpad_event_id LIKE 'pending-%'"))
                .isEqualTo(5);
        assertThat(Sql.rows("SELECT dialpad_event_id FROM webhook_dead_letters ORDER BY 1"))
                .extracting(r -> r.get("dialpad_event_id")).as("the old open dead letter is kept")
                .containsExactly("dl-5", "dl-open-100");
        // the totals follow the deletions (statement trigger)
        assertThat(Sql.value("SELECT sum(events) FROM webhook_event_totals WHERE outcome = 'processed'"))
                .isIn(null, java.math.BigDecimal.ZERO);
        assertThat(Sql.value("SELECT events FROM webhook_event_totals WHERE outcome = 'skipped'")).isEqualTo(10L);
    }

    @Test
    void should_delete_old_open_dead_letters_only_when_told_to() throws Exception {
        TestDatabase.get().truncateAll();
        Sql.execute("INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, "
                + "attempts, failed_at) VALUES (gen_random_uuid(), 'default', 'call.ended', 'dl-open-100', '{}', 4, "
                + "now() - interval '100 days'), (gen_random_uuid(), 'default', 'call.ended', 'dl-open-5', '{}', 4, "
                + "now() - interval '5 days')");
        RunningApp app = RunningApp.withProperty("processor.enabled", "false")
                .and("retention.initial-delay-ms", "100").and("retention.interval-ms", "60000")
                .and("retention.dead-letters-days", "30").and("retention.delete-open-dead-letters", "true");
        app.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count(
                    "SELECT count(*) FROM webhook_dead_letters") == 1);
        } finally {
            app.stop();
        }
        assertThat(Sql.value("SELECT dialpad_event_id FROM webhook_dead_letters")).isEqualTo("dl-open-5");
    }

    @Test
    void should_keep_everything_when_retention_is_zero_days() throws Exception {
        TestDatabase.get().truncateAll();
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) VALUES ('default', 'call.ring', 'ancient', '{}', now() - interval '900 days', "
                + "now() - interval '900 days', 'processed')");
        RunningApp app = RunningApp.withProperty("processor.enabled", "false")
                .and("retention.initial-delay-ms", "100").and("retention.interval-ms", "200")
                .and("retention.processed-events-days", "0");
        app.start();
        try {
            // the retention route has run twice more and left the row
            NotifyBuilder twice = new NotifyBuilder(app.camelContext()).fromRoute("delete-old-events")
                    .whenCompleted(2).create();
            assertThat(twice.matches(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            app.stop();
        }
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(1);
    }

}
