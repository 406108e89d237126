package io.github.dialpadwebhooks.bench;

import java.net.http.HttpRequest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.dialpadwebhooks.db.SqlStatements;
import io.github.dialpadwebhooks.support.DayPartitions;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cost as history grows (docs/partitioning.md): the same measurements on an empty event log and then with N
 * processed events of history (realistic payloads, generated in SQL, spread over the 31 days before today in their
 * day partitions, the last 7 days' idempotency keys with them): the claim statement's latency, the drain (events/s
 * of a backlog through the real routes), GET /stats, and retention (dropping the oldest day against deleting as many
 * rows in batches of 1,000, the way retention worked before the partitions). Runs in a schema of its own, dropped at
 * the end.
 */
public final class HistoryBenchmark {

    private static final String SCHEMA = "bench_history";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final int HISTORY_DAYS = 31;

    private HistoryBenchmark() {
    }

    public static Map<String, Object> run(long historyEvents, int drainEvents, int runs) throws Exception {
        System.out.println("history benchmark: " + historyEvents + " processed events of history, drains of "
                + drainEvents + " events x " + runs + " runs");
        System.out.println(Machine.describe());
        Map<String, Object> figures = new LinkedHashMap<>();
        String url = TestDatabase.get().migratedSchema(SCHEMA);
        try {
            // the day partitions as if the service had run for the whole history
            DayPartitions.startAt(url, TODAY.minusDays(HISTORY_DAYS));
            try (Connection c = DriverManager.getConnection(url)) {
                for (int d = HISTORY_DAYS; d >= 0; d--) {
                    execute(c, "SELECT create_event_partition(DATE '" + TODAY.minusDays(d) + "')");
                }
                execute(c, "SELECT create_event_partitions(7)");
            }
            RunningApp app = RunningApp.withProperty("processor.enabled", "false").withDatabaseUrl(url)
                    .and("retention.enabled", "false");
            app.start();
            try {
                measure(app, url, "empty", drainEvents, runs, figures);
                long loaded = loadHistory(url, historyEvents);
                figures.put("history events", loaded);
                measure(app, url, "history", drainEvents, runs, figures);
            } finally {
                app.stop();
            }
            retention(url, figures);
        } finally {
            try (Connection admin = TestDatabase.get().connect(); Statement st = admin.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
        double empty = (Double) figures.get("empty drain events/s");
        double history = (Double) figures.get("history drain events/s");
        System.out.printf("history summary: %,d events of history; drain %.0f events/s empty, %.0f with history "
                        + "(%.0f%%); claim p50 %.2f ms -> %.2f ms; GET /stats median %.1f ms -> %.1f ms; retention: "
                        + "a day of %,d events dropped in %.0f ms, as many deleted in batches of 1,000 in %.0f ms%n",
                figures.get("history events"), empty, history, 100 * history / empty,
                figures.get("empty claim p50 ms"), figures.get("history claim p50 ms"),
                figures.get("empty stats median ms"), figures.get("history stats median ms"),
                figures.get("retention day events"), figures.get("retention drop ms"),
                figures.get("retention batched delete ms"));
        return figures;
    }

    /** The claim's latency, the drain and /stats, each with today's partition fresh. */
    private static void measure(RunningApp app, String url, String phase, int drainEvents, int runs,
            Map<String, Object> figures) throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Double> claims = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            resetToday(url);
            try (Connection c = DriverManager.getConnection(url)) {
                BenchmarkData.insertUnprocessed(c, drainEvents, 8_000_000_000_000_000L + run * 10_000_000L);
                execute(c, "ANALYZE webhook_events");
                claims.addAll(claimLatencies(c, 100));
                String start = string(c, "SELECT clock_timestamp()::text");
                app.camelContext().getRouteController().startRoute("process-webhook-events");
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Long.parseLong(string(c, "SELECT count(*) FROM webhook_events "
                                + "WHERE processed_at IS NULL")) == 0);
                app.camelContext().getRouteController().stopRoute("process-webhook-events");
                double seconds = Double.parseDouble(string(c, "SELECT extract(epoch FROM max(processed_at) - '"
                        + start + "'::timestamptz) FROM webhook_events WHERE received_at >= CURRENT_DATE"));
                rates.add(drainEvents / seconds);
                System.out.printf("%s drain run %d: %d events in %.2f s = %.0f events/s%n", phase, run, drainEvents,
                        seconds, drainEvents / seconds);
            }
        }
        rates.sort(null);
        claims.sort(null);
        figures.put(phase + " drain events/s", rates.get(rates.size() / 2));
        figures.put(phase + " claim p50 ms", claims.get(claims.size() / 2));
        figures.put(phase + " claim p99 ms", claims.get((int) (claims.size() * 0.99)));
        List<Double> stats = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long t = System.nanoTime();
            HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET());
            assertThat(response.statusCode()).isEqualTo(200);
            if (i >= 5) {
                stats.add((System.nanoTime() - t) / 1e6);
            }
        }
        stats.sort(null);
        figures.put(phase + " stats median ms", stats.get(stats.size() / 2));
        System.out.printf("%s: drain median %.0f events/s (runs %s); claim of 100 from a backlog of %d: p50 %.2f ms, "
                        + "p99 %.2f ms; GET /stats median %.1f ms%n", phase, rates.get(rates.size() / 2), rates,
                drainEvents, figures.get(phase + " claim p50 ms"), figures.get(phase + " claim p99 ms"),
                figures.get(phase + " stats median ms"));
    }

    /**
     * The real claim statement (sql/processing/claim-events.sql), n times, each rolled back; prepared, as camel-sql
     * runs it (pgjdbc prepares it on the server from the fifth run).
     */
    private static List<Double> claimLatencies(Connection c, int n) throws SQLException {
        String claim = SqlStatements.load("processing/claim-events.sql")
                .replace(":#${properties:processor.instance-id}", "'bench'")
                .replace(":#${properties:processor.batch-size}", "100")
                .replace(":#${properties:processor.lease-seconds}", "60")
                .replace(":#${properties:processor.max-redeliveries}", "5");
        List<Double> millis = new ArrayList<>();
        c.setAutoCommit(false);
        try (PreparedStatement st = c.prepareStatement(claim)) {
            for (int i = 0; i < n + 10; i++) {
                long t = System.nanoTime();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
                double ms = (System.nanoTime() - t) / 1e6;
                c.rollback();
                if (i >= 10) {
                    millis.add(ms);
                }
            }
        } finally {
            c.setAutoCommit(true);
        }
        return millis;
    }

    /** Today's partition dropped and made again, and the projections emptied: every drain run starts alike. */
    private static void resetToday(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            execute(c, "DROP TABLE IF EXISTS " + DayPartitions.name(TODAY));
            execute(c, "SELECT create_event_partition(CURRENT_DATE)");
            execute(c, "DELETE FROM webhook_event_keys WHERE received_at >= CURRENT_DATE");
            execute(c, "TRUNCATE calls, messages, call_recordings, call_insights, call_interactions");
            execute(c, "DELETE FROM webhook_event_totals WHERE received_on >= CURRENT_DATE");
        }
    }

    /**
     * N processed events over the 31 days before today, in their day partitions: per cycle a call's ringing,
     * connected, hangup and recording snapshots and an SMS, from the real samples (the payload sizes of real
     * traffic). Loaded a day at a time with the key trigger off (the last 7 days' keys are added after), then the
     * totals rebuilt and the table analysed, as a service that ran for a month would have it.
     */
    private static long loadHistory(String url, long events) throws SQLException {
        long perDay = events / HISTORY_DAYS / 5;
        String sql = """
                INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, processed_at,
                                            outcome, attempts, claimed_by, claimed_at, available_at)
                SELECT 'default', t.event_type, t.event_type || ':' || c.call_id || ':' || t.state, t.payload, c.at,
                       c.at + interval '40 ms', 'processed', 1, 'history', c.at, c.at
                FROM generate_series(0, ? - 1) AS g,
                LATERAL (SELECT ?::bigint + g AS call_id, CAST(? AS timestamptz) + g * (interval '86399 seconds' / CAST(? AS double precision)) AS at,
                                1731605955966 + g * 1000 AS t0) AS c,
                LATERAL (VALUES
                  ('call.ring', 'ringing', CAST(? AS jsonb) || jsonb_build_object('call_id', c.call_id,
                     'state', 'ringing', 'event_timestamp', c.t0)),
                  ('call.started', 'connected', CAST(? AS jsonb) || jsonb_build_object('call_id', c.call_id,
                     'state', 'connected', 'event_timestamp', c.t0 + 5000)),
                  ('call.ended', 'hangup', CAST(? AS jsonb) || jsonb_build_object('call_id', c.call_id,
                     'state', 'hangup', 'event_timestamp', c.t0 + 65000)),
                  ('call.recording.completed', 'recording', CAST(? AS jsonb) || jsonb_build_object('call_id',
                     c.call_id, 'state', 'recording', 'event_timestamp', c.t0 + 66000)),
                  ('sms.received', 'pending', CAST(? AS jsonb) || jsonb_build_object('id', c.call_id + 1000000000,
                     'event_timestamp', c.t0 + 400))
                ) AS t(event_type, state, payload)
                """;
        String ringing = Samples.text("call-ringing.json");
        String hangup = Samples.text("call-hangup.json");
        String recording = Samples.text("call-recording.json");
        String sms = Samples.text("sms-inbound.json");
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            execute(c, "ALTER TABLE webhook_events DISABLE TRIGGER webhook_events_check_key");
            for (int d = HISTORY_DAYS; d >= 1; d--) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, perDay);
                    ps.setLong(2, 7_000_000_000_000_000L + d * 100_000_000L);
                    ps.setString(3, TODAY.minusDays(d) + " 00:00:00+00");
                    ps.setLong(4, perDay);
                    ps.setString(5, ringing);
                    ps.setString(6, ringing);
                    ps.setString(7, hangup);
                    ps.setString(8, recording);
                    ps.setString(9, sms);
                    ps.executeUpdate();
                }
                if (d % 5 == 0) {
                    System.out.printf("history: %d days of %d loaded (%.0f s)%n", HISTORY_DAYS - d + 1, HISTORY_DAYS,
                            (System.nanoTime() - started) / 1e9);
                }
            }
            execute(c, "ALTER TABLE webhook_events ENABLE TRIGGER webhook_events_check_key");
            execute(c, "INSERT INTO webhook_event_keys (app_id, dialpad_event_id, event_id, received_at) "
                    + "SELECT app_id, dialpad_event_id, id, received_at FROM webhook_events "
                    + "WHERE received_at >= CURRENT_DATE - 7 AND received_at < CURRENT_DATE");
            execute(c, "SELECT webhook_event_totals_rebuild()");
            execute(c, "VACUUM ANALYZE webhook_events");
            long loaded = Long.parseLong(string(c, "SELECT count(*) FROM webhook_events WHERE received_at < CURRENT_DATE"));
            System.out.printf("history: %,d events loaded in %.0f s; webhook_events %s%n", loaded,
                    (System.nanoTime() - started) / 1e9,
                    string(c, "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
                            + "WHERE inhparent = 'webhook_events'::regclass"));
            return loaded;
        }
    }

    /** Retention: the oldest day dropped whole, against as many rows of the next day deleted 1,000 at a time. */
    private static void retention(String url, Map<String, Object> figures) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            String nextDay = DayPartitions.name(TODAY.minusDays(HISTORY_DAYS - 1));
            long dayEvents = Long.parseLong(string(c, "SELECT count(*) FROM " + nextDay));
            long t = System.nanoTime();
            int deleted;
            do {
                try (Statement st = c.createStatement()) {
                    deleted = st.executeUpdate("DELETE FROM webhook_events WHERE id IN (SELECT id FROM " + nextDay
                            + " ORDER BY processed_at LIMIT 1000)");
                }
            } while (deleted > 0);
            double deleteMs = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            String dropped = string(c, "SELECT string_agg(partition_name || ' ' || dropped || ' ' || "
                    + "COALESCE(events, 0), ', ') FROM drop_old_event_partitions(" + (HISTORY_DAYS - 1) + ")");
            double dropMs = (System.nanoTime() - t) / 1e6;
            figures.put("retention day events", dayEvents);
            figures.put("retention drop ms", dropMs);
            figures.put("retention batched delete ms", deleteMs);
            System.out.printf("retention: drop_old_event_partitions: %s in %.0f ms; the same number of rows "
                    + "(%,d) deleted in batches of 1,000: %.0f ms%n", dropped, dropMs, dayEvents, deleteMs);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
