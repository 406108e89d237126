package io.github.dialpadwebhooks.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end latency: webhooks posted over HTTP at a steady rate while the processor runs; latency is
 * processed_at - received_at of each event (both the database's clock), reported as percentiles.
 */
public final class LatencyBenchmark {

    private LatencyBenchmark() {
    }

    public static Map<String, Object> run(int ratePerSecond, int seconds, Map<String, String> properties)
            throws Exception {
        System.out.println("latency benchmark: " + ratePerSecond + " events/s for " + seconds + " s, " + properties);
        System.out.println(Machine.describe());
        RunningApp app = RunningApp.create();
        properties.forEach(app::and);
        app.start();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            AtomicLong next = new AtomicLong(9_100_000_000_000_000L);
            // warm-up at the same rate (JIT, pools, plans), then only what follows is measured
            int warmup = Integer.getInteger("bench.latency.warmup-seconds", 10);
            if (warmup > 0) {
                send(app, senders, next, ratePerSecond, warmup);
                Events.awaitAllProcessed(Duration.ofMinutes(2));
            }
            TestDatabase.get().truncateAll();
            long accepted = send(app, senders, next, ratePerSecond, seconds);
            int total = ratePerSecond * seconds;
            Events.awaitAllProcessed(Duration.ofMinutes(2));
            Map<String, Object> figures = Sql.rows("SELECT count(*) AS events, "
                    + "round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP "
                    + "(ORDER BY processed_at - received_at))) AS p50_ms, "
                    + "round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP "
                    + "(ORDER BY processed_at - received_at))) AS p99_ms, "
                    + "round(1000 * extract(epoch FROM max(processed_at - received_at))) AS max_ms "
                    + "FROM webhook_events").get(0);
            assertThat(accepted).isEqualTo(total);
            assertThat(figures.get("events")).isEqualTo((long) total);
            System.out.printf("latency (received -> projected) at %d events/s: p50 %s ms, p99 %s ms, max %s ms "
                    + "over %d events%n", ratePerSecond, figures.get("p50_ms"), figures.get("p99_ms"),
                    figures.get("max_ms"), total);
            // where the time went: stored -> claimed (waiting for the processor: the batch in hand, the wake-up),
            // claimed -> done (its own batch: the projections and the outcomes); a batch = one processed_at
            Map<String, Object> parts = Sql.rows("SELECT "
                    + "round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP "
                    + "(ORDER BY claimed_at - received_at))) AS wait_p50_ms, "
                    + "round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP "
                    + "(ORDER BY claimed_at - received_at))) AS wait_p99_ms, "
                    + "round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP "
                    + "(ORDER BY processed_at - claimed_at))) AS batch_p50_ms, "
                    + "round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP "
                    + "(ORDER BY processed_at - claimed_at))) AS batch_p99_ms, "
                    + "count(DISTINCT processed_at) AS batches FROM webhook_events").get(0);
            System.out.printf("latency parts: stored -> claimed p50 %s ms, p99 %s ms; claimed -> projected p50 %s ms, "
                    + "p99 %s ms; %s batches (%.1f events each)%n", parts.get("wait_p50_ms"),
                    parts.get("wait_p99_ms"), parts.get("batch_p50_ms"), parts.get("batch_p99_ms"),
                    parts.get("batches"), total / ((Number) parts.get("batches")).doubleValue());
            figures.putAll(parts);
            return figures;
        } finally {
            senders.shutdownNow();
            app.stop();
        }
    }

    /** Posts ratePerSecond new calls a second for this long (open loop); returns how many were answered 202. */
    private static long send(RunningApp app, ExecutorService senders, AtomicLong next, int ratePerSecond, int seconds)
            throws Exception {
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long startNanos = System.nanoTime();
        int total = ratePerSecond * seconds;
        for (int i = 0; i < total; i++) {
            long due = startNanos + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long callId = next.incrementAndGet();
            long now = System.currentTimeMillis();
            String body = Fixtures.call(callId).state("ringing").at(now).set("date_started", now).json();
            responses.add(senders.submit(() -> app.post("/webhooks/dialpad", body)));
        }
        long accepted = 0;
        for (Future<HttpResponse<String>> f : responses) {
            accepted += f.get().statusCode() == 202 ? 1 : 0;
        }
        return accepted;
    }
}
