package io.github.dialpadwebhooks.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rebuild under live load: N stored call events (four per call: ringing, connected, hangup, recording), then a
 * steady stream of webhooks at {@code rate}/s, first alone (the baseline), then while POST
 * /projections/calls/rebuild runs. Prints the rebuild's events/s and, for both phases, ingest latency (client side)
 * and end to end (received -> projected, from the database).
 */
public final class RebuildBenchmark {

    private RebuildBenchmark() {
    }

    public static void run(int callEvents, int rate, int baselineSeconds) throws Exception {
        System.out.println("rebuild benchmark: " + callEvents + " stored call events, live load " + rate + "/s");
        System.out.println(Machine.describe());
        RunningApp app = RunningApp.create();
        app.start();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            TestDatabase.get().truncateAll();
            Sql.execute("TRUNCATE projection_rebuilds");
            BenchmarkData.insertUnprocessed(callEvents * 5 / 4, 9_200_000_000_000_000L);
            Sql.execute("DELETE FROM webhook_events WHERE event_type NOT LIKE 'call.%'");
            Sql.execute("UPDATE webhook_events SET processed_at = clock_timestamp(), outcome = 'processed', attempts = 1");
            Sql.execute("VACUUM ANALYZE webhook_events");
            long stored = Sql.count("SELECT count(*) FROM webhook_events");
            System.out.println("rebuild: " + stored + " processed call events stored");

            AtomicLong ids = new AtomicLong(9_300_000_000_000_000L);
            // warm-up, then the baseline: the live stream alone
            stream(app, senders, ids, rate, () -> false, 10);
            Events.awaitAllProcessed();
            long firstBaseline = ids.get() + 1;
            List<Long> baseline = stream(app, senders, ids, rate, () -> false, baselineSeconds);
            Events.awaitAllProcessed();
            report("without rebuild", baseline, firstBaseline, ids.get());

            long firstDuring = ids.get() + 1;
            HttpResponse<String> started = app.send(HttpRequest.newBuilder(app.managementUri(
                    "/projections/calls/rebuild")).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            long id = json(started).get("id").asLong();
            List<Long> during = stream(app, senders, ids, rate, () -> "completed".equals(
                    Sql.value("SELECT status FROM projection_rebuilds WHERE id = ?", id))
                    || "failed".equals(Sql.value("SELECT status FROM projection_rebuilds WHERE id = ?", id)), 3600);
            Events.awaitAllProcessed();
            Map<String, Object> r = Sql.rows("SELECT status, done, total, error, "
                    + "extract(epoch FROM swapped_at - started_at) AS seconds FROM projection_rebuilds WHERE id = ?", id)
                    .get(0);
            assertThat(r.get("status")).as(String.valueOf(r.get("error"))).isEqualTo("completed");
            double seconds = ((Number) r.get("seconds")).doubleValue();
            System.out.printf("rebuild: %s events (of %s counted at the start) in %.1f s = %.0f events/s%n",
                    r.get("done"), r.get("total"), seconds, ((Number) r.get("done")).doubleValue() / seconds);
            report("during the rebuild", during, firstDuring, ids.get());
            assertThat(Sql.count("SELECT count(*) FROM calls WHERE dialpad_call_id >= 9300000000000000"))
                    .as("every live event's call is in the new table").isEqualTo(ids.get() - 9_300_000_000_000_000L);
        } finally {
            senders.shutdownNow();
            app.stop();
        }
    }

    /** Posts at {@code rate}/s until {@code done} or {@code maxSeconds}; the requests' latencies in microseconds. */
    private static List<Long> stream(RunningApp app, ExecutorService senders, AtomicLong ids, int rate,
            BooleanSupplier done, int maxSeconds) throws Exception {
        List<Future<Long>> futures = new ArrayList<>();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < rate * maxSeconds; i++) {
            if (i % rate == 0 && i > 0 && done.getAsBoolean()) {
                break;
            }
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long call = ids.incrementAndGet();
            long now = System.currentTimeMillis();
            String body = Fixtures.call(call).state("ringing").at(now).set("date_started", now).json();
            futures.add(senders.submit(() -> {
                long t0 = System.nanoTime();
                HttpResponse<String> response = app.post("/webhooks/dialpad", body);
                assertThat(response.statusCode()).isEqualTo(202);
                return (System.nanoTime() - t0) / 1000;
            }));
        }
        List<Long> micros = new ArrayList<>();
        for (Future<Long> f : futures) {
            micros.add(f.get());
        }
        return micros;
    }

    private static void report(String phase, List<Long> micros, long firstCall, long lastCall) {
        Collections.sort(micros);
        Map<String, Object> e2e = Sql.rows("SELECT count(*) AS events, "
                + "round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP "
                + "(ORDER BY processed_at - received_at))) AS p50_ms, "
                + "round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP "
                + "(ORDER BY processed_at - received_at))) AS p99_ms "
                + "FROM webhook_events WHERE dialpad_event_id LIKE 'call:%' "
                + "AND CAST(payload ->> 'call_id' AS bigint) BETWEEN ? AND ?", firstCall, lastCall).get(0);
        System.out.printf("rebuild %s: %d webhooks, ingest p50 %.1f ms, p99 %.1f ms; end to end p50 %s ms, p99 %s ms%n",
                phase, micros.size(), micros.get(micros.size() / 2) / 1000.0,
                micros.get((int) (micros.size() * 0.99)) / 1000.0, e2e.get("p50_ms"), e2e.get("p99_ms"));
    }
}
