package io.github.dialpadwebhooks.bench;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks at full size: {@code mvn test -Pbench} (not part of {@code mvn test}). Sizes can be changed with
 * -Dbench.drain.events, -Dbench.drain.runs, -Dbench.latency.rate, -Dbench.latency.seconds, -Dbench.stats.rows,
 * -Dbench.query.calls, -Dbench.query.warmup-seconds, -Dbench.query.samples, -Dbench.rebuild.events,
 * -Dbench.rebuild.rate, -Dbench.rebuild.baseline-seconds, -Dbench.history.events, -Dbench.history.drain-events,
 * -Dbench.history.runs.
 */
@Tag("benchmark")
class BenchmarksTest {

    @Test
    void drain() throws Exception {
        DrainBenchmark.run(Integer.getInteger("bench.drain.events", 100_000),
                Integer.getInteger("bench.drain.runs", 3), Map.of());
    }

    /**
     * The drain directly and through PgBouncer in transaction mode (docs/deploy.md), same run: what the pooler in
     * the path costs the processing (-Dbench.drain.events, -Dbench.drain.runs).
     */
    @Test
    void drainThroughPgBouncer() throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(io.github.dialpadwebhooks.support.PgBouncer.isInstalled())
                .as("pgbouncer is installed").isTrue();
        int events = Integer.getInteger("bench.drain.events", 100_000);
        int runs = Integer.getInteger("bench.drain.runs", 3);
        var direct = DrainBenchmark.run(events, runs, Map.of());
        var db = io.github.dialpadwebhooks.support.TestDatabase.get();
        try (var bouncer = io.github.dialpadwebhooks.support.PgBouncer.start(db, 8)) {
            var through = DrainBenchmark.run(events, runs, Map.of("database.url", bouncer.jdbcUrl(db),
                    "database.direct-url", db.jdbcUrl()));
            System.out.printf("drain through PgBouncer: median %.0f events/s against %.0f directly (%.0f%%)%n",
                    DrainBenchmark.median(through), DrainBenchmark.median(direct),
                    100 * DrainBenchmark.median(through) / DrainBenchmark.median(direct));
        }
    }

    /**
     * Cost as history grows: claim, drain, /stats and retention on an empty log and with -Dbench.history.events
     * (10,000,000: about 25 GB with the indexes; 100,000,000 needs some 250 GB of disk) processed events of history.
     */
    @Test
    void history() throws Exception {
        HistoryBenchmark.run(Long.getLong("bench.history.events", 10_000_000L),
                Integer.getInteger("bench.history.drain-events", 100_000),
                Integer.getInteger("bench.history.runs", 3));
    }

    @Test
    void stats() throws Exception {
        StatsBenchmark.run(Integer.getInteger("bench.stats.rows", 1_000_000));
    }

    @Test
    void queries() throws Exception {
        QueryBenchmark.run(Integer.getInteger("bench.query.calls", 1_000_000),
                Integer.getInteger("bench.query.warmup-seconds", 10), Integer.getInteger("bench.query.samples", 500));
    }

    @Test
    void rebuild() throws Exception {
        RebuildBenchmark.run(Integer.getInteger("bench.rebuild.events", 1_000_000),
                Integer.getInteger("bench.rebuild.rate", 500), Integer.getInteger("bench.rebuild.baseline-seconds", 30));
    }

    /** End-to-end latency with the wake-up (LISTEN/NOTIFY and in-process) and with the poll alone, same run. */
    @Test
    void wakeUp() throws Exception {
        int rate = Integer.getInteger("bench.latency.rate", 500);
        int seconds = Integer.getInteger("bench.latency.seconds", 30);
        Map<String, Object> poll = LatencyBenchmark.run(rate, seconds, Map.of("processor.wake-up.enabled", "false"));
        Map<String, Object> woken = LatencyBenchmark.run(rate, seconds, Map.of());
        System.out.printf("wake-up at %d events/s: p50 %s ms, p99 %s ms with it; p50 %s ms, p99 %s ms with the "
                + "%s ms poll alone%n", rate, woken.get("p50_ms"), woken.get("p99_ms"), poll.get("p50_ms"),
                poll.get("p99_ms"), "200");
    }

    @Test
    void latency() throws Exception {
        LatencyBenchmark.run(Integer.getInteger("bench.latency.rate", 50),
                Integer.getInteger("bench.latency.seconds", 30), Map.of());
    }
}
