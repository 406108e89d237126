package io.github.dialpadwebhooks.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interaction queries on a big calls table, through the admin API as a script or the console calls it:
 * {@code GET /interactions?call_id=} (one interaction by any of its legs) and
 * {@code GET /interactions?agent_id=&day=} (a day's interactions of one agent).
 *
 * <p>The data: N calls in call-centre shapes over 30 days (per 10 interactions: 4 direct calls, 2 of two legs, 3 of
 * three legs with a missed agent leg before the answering one, 1 of four legs with an operator leg; 1 in 10
 * missed, 1 in 10 to voicemail), 300 agents, one processed event per call, grouped by the real
 * {@code refresh_interactions()} in chunks as the processor would. Prints the median, p95 and worst of each query
 * after a warm-up, and the time each took inside PostgreSQL (EXPLAIN ANALYZE of one call).
 */
public final class QueryBenchmark {

    static final long ROOT_BASE = 9_000_000_000L;
    static final int AGENTS = 300;
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 1);
    static final int DAYS = 30;

    private QueryBenchmark() {
    }

    /** Legs of interaction k: 4 in 10 direct, 2 in 10 two legs, 3 in 10 three, 1 in 10 four. */
    static String legsOf(String k) {
        return "(CASE WHEN " + k + " % 10 < 4 THEN 1 WHEN " + k + " % 10 < 6 THEN 2 WHEN " + k + " % 10 < 9 THEN 3 "
                + "ELSE 4 END)";
    }

    public static Map<String, Double> run(int calls, int warmUpSeconds, int samples) throws Exception {
        int interactions = (int) Math.round(calls / 2.1);
        System.out.println("query benchmark: ~" + calls + " calls in " + interactions + " interactions, " + AGENTS
                + " agents, " + DAYS + " days");
        System.out.println(Machine.describe());
        TestDatabase.get().truncateAll();
        long loadStart = System.nanoTime();
        insertCalls(interactions);
        long actualCalls = Sql.count("SELECT count(*) FROM calls");
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) SELECT app_id, 'call.hangup', 'q-' || dialpad_call_id, "
                + "jsonb_build_object('call_id', dialpad_call_id, 'state', 'hangup'), ended_at, ended_at, 'processed' "
                + "FROM calls");
        Sql.execute("VACUUM ANALYZE calls");
        Sql.execute("VACUUM ANALYZE webhook_events");
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        long groupStart = System.nanoTime();
        int chunk = 5_000;
        for (int from = 1; from <= interactions; from += chunk) {
            long lo = ROOT_BASE + (long) from * 8;
            long hi = ROOT_BASE + (long) Math.min(from + chunk - 1, interactions) * 8 + 7;
            Sql.execute("SELECT refresh_interactions(ARRAY(SELECT e.id FROM webhook_events e "
                    + "WHERE e.event_type LIKE 'call.%' AND e.payload ->> 'call_id' IN (SELECT CAST(c.dialpad_call_id "
                    + "AS text) FROM calls c WHERE c.dialpad_call_id BETWEEN " + lo + " AND " + hi + ")))");
        }
        double groupSeconds = (System.nanoTime() - groupStart) / 1e9;
        Sql.execute("VACUUM ANALYZE calls");
        Sql.execute("VACUUM ANALYZE call_interactions");
        System.out.printf("query data: %d calls, %d interactions; loaded in %.1f s, grouped by "
                        + "refresh_interactions() in %.1f s (%.0f calls/s)%n", actualCalls,
                Sql.count("SELECT count(*) FROM call_interactions"), loadSeconds, groupSeconds,
                actualCalls / groupSeconds);
        assertThat(Sql.count("SELECT count(*) FROM call_interactions")).isEqualTo(interactions);
        assertThat(Sql.count("SELECT count(*) FROM calls WHERE interaction_id IS NULL")).isZero();

        RunningApp app = RunningApp.withProperty("processor.enabled", "false");
        app.start();
        try {
            SplittableRandom random = new SplittableRandom(14);
            IntFunction<String> byLeg = i -> {
                int k = 1 + random.nextInt(interactions);
                int legs = k % 10 < 4 ? 1 : k % 10 < 6 ? 2 : k % 10 < 9 ? 3 : 4;
                return "/interactions?call_id=" + (ROOT_BASE + (long) k * 8 + random.nextInt(legs));
            };
            IntFunction<String> agentDay = i -> "/interactions?agent_id=" + (1000 + random.nextInt(AGENTS)) + "&day="
                    + FIRST_DAY.plusDays(random.nextInt(DAYS));
            Map<String, Double> figures = new java.util.LinkedHashMap<>();
            figures.putAll(measure(app, "interaction by leg id", byLeg, warmUpSeconds, samples, body -> {
                JsonNode interaction = body.path("interaction");
                assertThat(body.path("calls").size()).isEqualTo(interaction.path("legs").size()).isPositive();
            }));
            figures.putAll(measure(app, "agent's interactions of a day", agentDay, warmUpSeconds, samples,
                    body -> assertThat(body.path("items").isArray()).isTrue()));
            explain("interaction by leg id", "SELECT x.* FROM calls c JOIN call_interactions x ON x.app_id = c.app_id "
                    + "AND x.interaction_id = c.interaction_id WHERE c.dialpad_call_id = " + (ROOT_BASE + 8 * 7 + 2));
            explain("agent's interactions of a day", "SELECT x.* FROM call_interactions x WHERE "
                    + "x.answered_by_agent_id = 1001 AND x.started_at >= '" + FIRST_DAY.plusDays(3)
                    + "T00:00:00Z' AND x.started_at < '" + FIRST_DAY.plusDays(4) + "T00:00:00Z' "
                    + "ORDER BY x.started_at DESC LIMIT 100");
            double perAgentDay = ((Number) Sql.value("SELECT avg(n) FROM (SELECT count(*) AS n FROM call_interactions "
                    + "WHERE answered_by_agent_id IS NOT NULL GROUP BY answered_by_agent_id, "
                    + "date_trunc('day', started_at AT TIME ZONE 'UTC')) AS d")).doubleValue();
            System.out.printf("query data: %.0f interactions per agent and day on average%n", perAgentDay);
            return figures;
        } finally {
            app.stop();
            TestDatabase.get().truncateAll();
        }
    }

    private static void insertCalls(int interactions) {
        // leg j of interaction k: id ROOT_BASE + 8k + j. Leg 0 is the customer's call to the call centre (no agent);
        // legs 1.. ring agents (master and entry point: leg 0), the last of them answers; a 4-leg interaction's
        // last leg is the operator leg of leg 2 (operator_call_id). Direct calls (1 leg) are answered by an agent.
        String k = "k";
        Sql.execute("INSERT INTO calls (app_id, dialpad_call_id, direction, from_number, to_number, status, started_at, "
                + "answered_at, ended_at, duration_ms, talk_time_ms, voicemail_url, master_call_id, entry_point_call_id, "
                + "last_state, last_event_at, facts) "
                + "SELECT 'bench', " + ROOT_BASE + " + 8 * k + j, 'inbound', '+1555' || lpad(CAST(k % 9000000 AS text), 7, '0'), "
                + "'+18005550100', 'ended', t + j * interval '5 seconds', "
                + "CASE WHEN answering THEN t + j * interval '5 seconds' + interval '8 seconds' END, "
                + "t + interval '10 minutes', 600000, CASE WHEN answering THEN 420000 END, "
                + "CASE WHEN outcome = 1 AND j = legs - 1 THEN 'https://dialpad.com/v/' || k END, "
                + "CASE WHEN j > 0 AND NOT (legs = 4 AND j = 3) THEN " + ROOT_BASE + " + 8 * k END, "
                + "CASE WHEN j > 0 AND NOT (legs = 4 AND j = 3) THEN " + ROOT_BASE + " + 8 * k END, "
                + "'hangup', t + interval '10 minutes', "
                + "jsonb_strip_nulls(jsonb_build_object("
                + "'agent_id', CASE WHEN legs = 1 OR j > 0 THEN jsonb_build_object('v', 1000 + (k * 7919 + j * 31) % "
                + AGENTS + ", 'at', jsonb_build_array(1)) END, "
                + "'operator_call_id', CASE WHEN legs = 4 AND j = 3 THEN jsonb_build_object('v', " + ROOT_BASE
                + " + 8 * k + 2, 'at', jsonb_build_array(1)) END)) "
                + "FROM (SELECT k, legs, outcome, j, t, "
                + "       outcome = 2 AND ((legs = 1) OR (legs < 4 AND j = legs - 1) OR (legs = 4 AND j = 2)) AS answering "
                + "      FROM (SELECT " + k + " AS k, " + legsOf(k) + " AS legs, "
                + "                   CASE (" + k + " / 10) % 10 WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END AS outcome, "
                + "                   TIMESTAMPTZ '" + FIRST_DAY + "T00:00:00Z' + " + k + " * (interval '" + DAYS
                + " days' / " + interactions + ") AS t "
                + "            FROM generate_series(CAST(1 AS bigint), " + interactions + ") AS k) AS i, "
                + "           generate_series(0, i.legs - 1) AS j) AS l");
    }

    private interface BodyCheck {
        void check(JsonNode body);
    }

    private static Map<String, Double> measure(RunningApp app, String name, IntFunction<String> paths,
            int warmUpSeconds, int samples, BodyCheck check) throws Exception {
        long warmUpEnd = System.nanoTime() + warmUpSeconds * 1_000_000_000L;
        int warmUps = 0;
        do {
            call(app, paths.apply(warmUps++), check);
        } while (System.nanoTime() < warmUpEnd);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String path = paths.apply(i);
            long start = System.nanoTime();
            JsonNode body = call(app, path, check);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(null);
        double median = millis.get(millis.size() / 2);
        double p95 = millis.get((int) Math.ceil(millis.size() * 0.95) - 1);
        double worst = millis.get(millis.size() - 1);
        System.out.printf("query %s: GET %s median %.1f ms, p95 %.1f ms, worst %.1f ms over %d calls (after %d "
                        + "warm-up calls in %d s)%n", name, paths.apply(0).replaceAll("=[^&]*", "=…"), median, p95,
                worst, samples, warmUps, warmUpSeconds);
        return Map.of(name + " median ms", median, name + " p95 ms", p95);
    }

    private static JsonNode call(RunningApp app, String path, BodyCheck check) throws Exception {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri(path)).GET());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        JsonNode body = RunningApp.json(response);
        check.check(body);
        return body;
    }

    private static void explain(String name, String sql) {
        List<Map<String, Object>> plan = Sql.rows("EXPLAIN (ANALYZE, BUFFERS) " + sql);
        String last = String.valueOf(plan.get(plan.size() - 1).values().iterator().next());
        String indexes = plan.stream().map(r -> String.valueOf(r.values().iterator().next()))
                .filter(line -> line.matches(".*Scan( Backward)? using.*"))
                .map(line -> line.replaceAll(".*((Bitmap )?Index[^ ]* Scan[^(]*).*", "$1").trim())
                .toList().toString();
        System.out.printf("query %s in PostgreSQL: %s; %s%n", name, last.trim(), indexes);
    }
}
