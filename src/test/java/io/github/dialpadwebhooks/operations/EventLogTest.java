package io.github.dialpadwebhooks.operations;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.dialpadwebhooks.support.Concurrently;
import io.github.dialpadwebhooks.support.DayPartitions;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The partitioned event log (V12, docs/partitioning.md): day partitions made ahead, idempotency across partitions
 * (directly in SQL and through the webhook), retention by dropping whole days (never one holding an unprocessed
 * event, totals kept exact), and the migration in place of a database that already holds events. Each test has a
 * schema of its own, so it may move the day the partitions start.
 */
class EventLogTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Test
    void should_make_the_day_partitions_ahead_and_route_each_row_to_its_day() throws Exception {
        String url = TestDatabase.get().migratedSchema("event_log_days");
        List<String> partitions = strings(url, "SELECT c.relname FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = 'webhook_events'::regclass ORDER BY 1");
        // a new database: the old table's place (the default partition) holds today, the days start tomorrow
        List<String> expected = new ArrayList<>();
        for (int d = 1; d <= 7; d++) {
            expected.add(DayPartitions.name(TODAY.plusDays(d)));
        }
        expected.add("webhook_events_default");
        assertThat(partitions).containsExactlyElementsOf(expected);

        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload) "
                + "VALUES ('default', 'call.ring', 'today', '{}')");
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at) "
                + "VALUES ('default', 'call.ring', 'in-two-days', '{}', now() + interval '2 days')");
        assertThat(strings(url, "SELECT tableoid::regclass::text FROM webhook_events ORDER BY received_at"))
                .containsExactly("webhook_events_default", DayPartitions.name(TODAY.plusDays(2)));
        // a second run makes nothing twice
        assertThat(count(url, "SELECT create_event_partitions(7)")).isZero();
        assertThat(count(url, "SELECT create_event_partitions(9)")).isEqualTo(2);
    }

    @Test
    void should_refuse_an_insert_whose_key_is_stored_in_another_partition_even_when_racing() throws Exception {
        String url = TestDatabase.get().migratedSchema("event_log_keys");
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload) "
                + "VALUES ('default', 'call.ring', 'k1', '{}')");
        assertThatThrownBy(() -> execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, "
                + "payload, received_at) VALUES ('default', 'call.ring', 'k1', '{}', now() + interval '3 days')"))
                .hasMessageContaining("webhook_events_app_event_unique")
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        // another app may use the same Dialpad id
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at) "
                + "VALUES ('other', 'call.ring', 'k1', '{}', now() + interval '3 days')");

        // 16 sessions insert one new key at once, half of them into another day: one row
        int sessions = 16;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> inserted = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                String day = i % 2 == 0 ? "now()" : "now() + interval '1 day'";
                inserted.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                        start.await();
                        st.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, "
                                + "received_at) VALUES ('default', 'call.ring', 'k2', '{}', " + day + ")");
                        return true;
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        return false;
                    }
                }));
            }
            start.countDown();
            int successes = 0;
            for (Future<Boolean> f : inserted) {
                successes += f.get() ? 1 : 0;
            }
            assertThat(successes).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(url, "SELECT count(*) FROM webhook_events WHERE dialpad_event_id = 'k2'")).isEqualTo(1);
        // a deleted event's key is free again, as it was with the old unique constraint
        execute(url, "DELETE FROM webhook_events WHERE dialpad_event_id = 'k2'");
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload) "
                + "VALUES ('default', 'call.ring', 'k2', '{}')");
        assertThat(count(url, "SELECT count(*) FROM webhook_event_keys WHERE dialpad_event_id = 'k2'")).isEqualTo(1);
    }

    @Test
    void should_answer_a_duplicate_storm_with_the_row_stored_on_another_day() throws Exception {
        String url = TestDatabase.get().migratedSchema("event_log_storm");
        RunningApp app = RunningApp.withProperty("processor.enabled", "false").withDatabaseUrl(url);
        app.start();
        try {
            String body = "{\"event_type\": \"call.ended\", \"id\": \"storm-1\", \"payload\": "
                    + Samples.text("call-hangup.json") + "}";
            assertThat(app.post("/webhooks/dialpad", body).statusCode()).isEqualTo(202);
            // the first copy now lives in tomorrow's partition (as if it had come in before a day boundary)
            execute(url, "DELETE FROM webhook_events");
            execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at) "
                    + "VALUES ('default', 'call.ended', 'storm-1', '{}', now() + interval '1 day')");
            String stored = strings(url, "SELECT id::text FROM webhook_events").get(0);

            for (HttpResponse<String> response : Concurrently.run(50, i -> app.post("/webhooks/dialpad", body))) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(RunningApp.json(response).get("id").asText()).isEqualTo(stored);
            }
            assertThat(count(url, "SELECT count(*) FROM webhook_events")).isEqualTo(1);

            // /stats says how far ahead the days go
            var stats = RunningApp.json(app.send(java.net.http.HttpRequest.newBuilder(app.managementUri("/stats"))
                    .GET())).get("event_log");
            assertThat(stats.get("day_partitions").asInt()).isEqualTo(7);
            assertThat(stats.get("days_ahead").asInt()).isEqualTo(7);
            assertThat(stats.get("last_day").asText()).isEqualTo(TODAY.plusDays(7).toString());
        } finally {
            app.stop();
        }
    }

    @Test
    void should_drop_whole_days_past_retention_with_their_totals_but_never_a_day_holding_an_unprocessed_event()
            throws Exception {
        String url = TestDatabase.get().migratedSchema("event_log_retention");
        DayPartitions.startAt(url, TODAY.minusDays(40));
        for (int d : new int[] {35, 34, 33, 2}) {
            execute(url, "SELECT create_event_partition(DATE '" + TODAY.minusDays(d) + "')");
        }
        insert(url, 35, "processed", 3);
        insert(url, 34, "processed", 2);
        insert(url, 34, null, 1);
        insert(url, 33, "dead_lettered", 1);
        insert(url, 2, "processed", 1);
        execute(url, "SELECT webhook_event_totals_rebuild()");

        RunningApp app = RunningApp.withProperty("processor.enabled", "false")
                .and("retention.initial-delay-ms", "100").and("retention.interval-ms", "60000")
                .withDatabaseUrl(url);
        app.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> strings(url,
                    "SELECT to_regclass('" + DayPartitions.name(TODAY.minusDays(33)) + "')::text").get(0) == null);
        } finally {
            app.stop();
        }
        assertThat(strings(url, "SELECT to_regclass('" + DayPartitions.name(TODAY.minusDays(35)) + "')::text").get(0))
                .isNull();
        assertThat(strings(url, "SELECT to_regclass('" + DayPartitions.name(TODAY.minusDays(34)) + "')::text").get(0))
                .as("a day holding an unprocessed event is kept whole").isNotNull();
        assertThat(count(url, "SELECT count(*) FROM webhook_events")).isEqualTo(4);
        assertThat(count(url, "SELECT count(*) FROM webhook_events WHERE processed_at IS NULL")).isEqualTo(1);
        // the totals behind /stats lost exactly the dropped days' events
        assertThat(count(url, "SELECT sum(events) FROM webhook_event_totals")).isEqualTo(3);
        assertThat(strings(url, "SELECT outcome || '=' || sum(events) FROM webhook_event_totals GROUP BY outcome "
                + "HAVING sum(events) <> 0 ORDER BY 1")).containsExactly("processed=3");
    }

    @Test
    void should_leave_the_days_for_the_next_run_when_the_table_is_busy() throws Exception {
        String url = TestDatabase.get().migratedSchema("event_log_busy");
        DayPartitions.startAt(url, TODAY.minusDays(40));
        for (int d : new int[] {35, 34}) {
            execute(url, "SELECT create_event_partition(DATE '" + TODAY.minusDays(d) + "')");
            insert(url, d, "processed", 2);
        }
        try (Connection reader = DriverManager.getConnection(url); Statement st = reader.createStatement()) {
            // a long reader of the table (a report, a dump) holds its lock
            reader.setAutoCommit(false);
            st.execute("SELECT count(*) FROM webhook_events");
            assertThat(strings(url, "SELECT partition_name || ' ' || dropped || ' ' || reason "
                    + "FROM drop_old_event_partitions(30, 200) ORDER BY 1")).containsExactly(
                            DayPartitions.name(TODAY.minusDays(35)) + " false busy: lock timeout",
                            DayPartitions.name(TODAY.minusDays(34)) + " false busy: lock timeout");
            reader.rollback();
        }
        assertThat(count(url, "SELECT count(*) FROM webhook_events")).isEqualTo(4);
        assertThat(strings(url, "SELECT count(*) FILTER (WHERE dropped)::text FROM drop_old_event_partitions(30)"))
                .containsExactly("2");
        assertThat(count(url, "SELECT count(*) FROM webhook_events")).isZero();
    }

    @Test
    void should_migrate_a_database_holding_events_in_place() throws Exception {
        String schema = "event_log_upgrade";
        String url = TestDatabase.get().emptySchema(schema);
        // version 11 (its functions do not matter here: repeatable migrations are left out), and what it stored: old
        // and recent processed events, a dead-lettered one with its dead letter, and unprocessed ones
        Flyway.configure().dataSource(url, null, null).schemas(schema).locations("classpath:db/migration")
                .repeatableSqlMigrationPrefix("none-").target("11").load().migrate();
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) SELECT 'default', 'call.ring', 'old-' || g, '{}', now() - interval '20 days',"
                + " now() - interval '20 days', 'processed' FROM generate_series(1, 1000) g");
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) SELECT 'default', 'call.ring', 'recent-' || g, '{}', now() - interval '1 day',"
                + " now() - interval '1 day', 'skipped' FROM generate_series(1, 100) g");
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, processed_at, "
                + "outcome, attempts) VALUES ('default', 'call.ended', 'poison', '{}', now(), 'dead_lettered', 4)");
        execute(url, "INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, "
                + "attempts) SELECT id, app_id, event_type, dialpad_event_id, payload, 4 FROM webhook_events "
                + "WHERE dialpad_event_id = 'poison'");
        String envelope = "{\"event_type\": \"call.ended\", \"id\": \"pending-1\", \"payload\": "
                + Samples.text("call-hangup.json") + "}";
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload) VALUES "
                + "('default', 'call.ended', 'pending-1', '" + Samples.text("call-hangup.json").replace("'", "''")
                + "')");
        execute(url, "SELECT webhook_event_totals_rebuild()");
        String pendingId = strings(url, "SELECT id::text FROM webhook_events WHERE dialpad_event_id = 'pending-1'")
                .get(0);

        RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20").withDatabaseUrl(url);
        app.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> count(url,
                    "SELECT count(*) FROM webhook_events WHERE processed_at IS NULL") == 0);
            // a redelivery of an event stored before the upgrade is still a duplicate of it
            HttpResponse<String> again = app.post("/webhooks/dialpad", envelope);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(RunningApp.json(again).get("id").asText()).isEqualTo(pendingId);
            // and a new event goes where a new event goes
            HttpResponse<String> fresh = app.post("/webhooks/dialpad", envelope.replace("pending-1", "after-1"));
            assertThat(fresh.statusCode()).isEqualTo(202);
        } finally {
            app.stop();
        }
        assertThat(count(url, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'webhook_events'::regclass"))
                .isEqualTo(1);
        assertThat(count(url, "SELECT count(*) FROM webhook_events")).isEqualTo(1000 + 100 + 1 + 1 + 1);
        assertThat(count(url, "SELECT count(*) FROM webhook_events_default")).isEqualTo(1000 + 100 + 1 + 1 + 1);
        assertThat(count(url, "SELECT count(*) FROM webhook_dead_letters")).isEqualTo(1);
        // keys for what Dialpad may still redeliver (7 days), not for the old events
        assertThat(count(url, "SELECT count(*) FROM webhook_event_keys")).isEqualTo(100 + 1 + 1 + 1);
        // the totals still match the rows
        assertThat(strings(url, "SELECT outcome || '=' || sum(events) FROM webhook_event_totals GROUP BY outcome "
                + "ORDER BY 1")).containsExactlyElementsOf(strings(url, "SELECT outcome || '=' || count(*) "
                        + "FROM webhook_events WHERE outcome IS NOT NULL GROUP BY outcome ORDER BY 1"));
    }

    // -- helpers

    private static void insert(String url, int daysAgo, String outcome, int events) throws SQLException {
        execute(url, "INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome, available_at) SELECT 'default', 'call.ring', gen_random_uuid()::text, '{}', "
                + "TIMESTAMPTZ '" + TODAY.minusDays(daysAgo) + " 12:00:00+00', "
                + (outcome == null ? "NULL, NULL" : "now(), '" + outcome + "'")
                + ", now() + interval '1 hour' FROM generate_series(1, " + events + ")");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> strings(String url, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
        }
        return result;
    }

    private static long count(String url, String sql) throws SQLException {
        return Long.parseLong(strings(url, sql).get(0));
    }
}
