package io.github.dialpadwebhooks.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The last minutes of the pipeline's numbers, for the console's throughput and lag chart: every refresh of the
 * gauges (metrics.refresh-ms) appends one sample of webhook_stats(); samples older than the window are dropped.
 * Kept in memory: the numbers are the database's, so any instance shows the same curve, from its own start on.
 */
public final class PipelineHistory {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Duration window;
    private final long intervalMs;
    private final Clock clock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    private record Sample(Instant at, Map<String, Object> values) {
    }

    public PipelineHistory(Duration window, long intervalMs, Clock clock) {
        this.window = window;
        this.intervalMs = intervalMs;
        this.clock = clock;
    }

    /** Called by the refresh-pipeline-gauges route with webhook_stats(). */
    public void record(JsonNode stats) {
        Instant now = clock.instant();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("at", now.toString());
        long processed = stats.path("processed").asLong();
        long skipped = stats.path("skipped").asLong();
        long deadLettered = stats.path("dead_lettered").asLong();
        values.put("processed", processed);
        values.put("skipped", skipped);
        values.put("dead_lettered", deadLettered);
        // every event done, whatever its outcome: the chart's throughput is its rate of change
        values.put("finished", processed + skipped + deadLettered);
        values.put("unprocessed", stats.path("unprocessed").asLong());
        values.put("lag_seconds", stats.path("lag_seconds").asDouble());
        values.put("dead_letters_open", stats.path("dead_letters_open").asLong());
        synchronized (samples) {
            samples.addLast(new Sample(now, values));
            Instant oldest = now.minus(window);
            while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
                samples.removeFirst();
            }
        }
    }

    /** GET /stats/history: {"interval_ms": .., "window_seconds": .., "samples": [oldest first]}. */
    public String json() throws Exception {
        List<Map<String, Object>> copy;
        synchronized (samples) {
            copy = samples.stream().map(Sample::values).toList();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("interval_ms", intervalMs);
        body.put("window_seconds", window.toSeconds());
        body.put("samples", copy);
        return MAPPER.writeValueAsString(body);
    }
}
