package io.github.dialpadwebhooks.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks in a few seconds, so CI knows they still run. Their figures here mean nothing. */
class BenchmarkSmokeTest {

    @Test
    void should_run_the_drain_benchmark() throws Exception {
        List<DrainBenchmark.Result> results = DrainBenchmark.run(2_000, 1, Map.of());

        assertThat(results).hasSize(1);
        assertThat(results.get(0).eventsPerSecond()).isPositive();
    }

    @Test
    void should_run_the_history_benchmark() throws Exception {
        Map<String, Object> figures = HistoryBenchmark.run(31 * 5 * 40, 1_000, 1);

        assertThat(figures.get("history events")).isEqualTo(31L * 5 * 40);
        assertThat((Double) figures.get("history drain events/s")).isPositive();
        assertThat((Long) figures.get("retention day events")).isEqualTo(5L * 40);
    }

    @Test
    void should_run_the_stats_benchmark() throws Exception {
        assertThat(StatsBenchmark.run(20_000)).isPositive();
    }

    @Test
    void should_run_the_query_benchmark() throws Exception {
        assertThat(QueryBenchmark.run(3_000, 0, 20)).containsKey("interaction by leg id median ms");
    }

    @Test
    void should_run_the_latency_benchmark() throws Exception {
        Map<String, Object> figures = LatencyBenchmark.run(50, 2, Map.of("processor.poll-delay-ms", "50"));

        assertThat(figures.get("events")).isEqualTo(100L);
    }
}
