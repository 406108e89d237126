package io.github.dialpadwebhooks.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.dialpadwebhooks.support.Events;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drain: how fast the processing routes project a backlog. Loads N realistic unprocessed events (with the
 * processor stopped), starts the processing route and times until every event has its outcome. Figures come from
 * the database's own timestamps: events / (last processed_at - route start).
 */
public final class DrainBenchmark {

    public record Result(int events, double seconds, double eventsPerSecond) {
    }

    private DrainBenchmark() {
    }

    /** Where the time went: the processing routes' total time in this run (Camel's route timers, cumulative). */
    private static void printRouteTimes(RunningApp app, int run) {
        for (MeterRegistry registry : app.camelContext().getRegistry().findByType(MeterRegistry.class)) {
            List<String> lines = registry.find("camel.route.policy").timers().stream()
                    .filter(t -> t.getId().getTag("routeId") != null
                            && (t.getId().getTag("routeId").startsWith("project") || t.getId().getTag("routeId")
                            .startsWith("process") || t.getId().getTag("routeId").startsWith("route-event")))
                    .sorted((a, b) -> Double.compare(b.totalTime(TimeUnit.MILLISECONDS),
                            a.totalTime(TimeUnit.MILLISECONDS)))
                    .map(t -> String.format("%s %.0f ms / %d", t.getId().getTag("routeId"),
                            t.totalTime(TimeUnit.MILLISECONDS), t.count()))
                    .toList();
            System.out.println("drain run " + run + " route time so far (total / exchanges): " + lines);
        }
    }

    public static List<Result> run(int events, int runs, Map<String, String> properties) throws Exception {
        System.out.println("drain benchmark: " + events + " events x " + runs + " runs, " + properties);
        System.out.println(Machine.describe());
        List<Result> results = new ArrayList<>();
        RunningApp app = RunningApp.withProperty("processor.enabled", "false");
        properties.forEach(app::and);
        app.start();
        try {
            for (int run = 1; run <= runs; run++) {
                TestDatabase.get().truncateAll();
                BenchmarkData.insertUnprocessed(events, 9_000_000_000_000_000L + run * 10_000_000L);
                Sql.execute("VACUUM ANALYZE webhook_events");
                Object start = Sql.value("SELECT clock_timestamp()");
                app.camelContext().getRouteController().startRoute("process-webhook-events");
                Events.awaitAllProcessed(Duration.ofMinutes(10), Duration.ofMillis(500));
                app.camelContext().getRouteController().stopRoute("process-webhook-events");
                double seconds = ((Number) Sql.value("SELECT extract(epoch FROM max(processed_at) - ?::timestamptz) "
                        + "FROM webhook_events", start.toString())).doubleValue();
                assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'"))
                        .isEqualTo(events);
                assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(events / 5);
                Result result = new Result(events, seconds, events / seconds);
                results.add(result);
                System.out.printf("drain run %d: %d events in %.2f s = %.0f events/s%n", run, events, seconds,
                        result.eventsPerSecond());
                printRouteTimes(app, run);
            }
        } finally {
            app.stop();
        }
        List<Double> rates = results.stream().map(Result::eventsPerSecond).sorted().toList();
        System.out.printf("drain median: %.0f events/s (runs: %s)%n", median(results),
                rates.stream().map(r -> String.format("%.0f", r)).toList());
        return results;
    }

    static double median(List<Result> results) {
        List<Double> rates = results.stream().map(Result::eventsPerSecond).sorted().toList();
        return rates.get(rates.size() / 2);
    }
}
