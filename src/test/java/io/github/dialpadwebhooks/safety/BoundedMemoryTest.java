package io.github.dialpadwebhooks.safety;

import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.PipelinedPoster;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded whatever app ids and event types senders invent: 100,000 webhooks, each with a new random app
 * id (the path) and a new event type (an envelope), leave the service's heap after a full GC, its metrics page and
 * its /stats answer about where 10,000 of them left them. Size: -Dsafety.memory.requests (default 100,000).
 */
class BoundedMemoryTest {

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "50")
            .and("metrics.refresh-ms", "500");

    private final Random random = new Random(20261201L);

    @Test
    void should_keep_heap_metrics_and_stats_bounded_under_random_app_ids_and_event_types() throws Exception {
        TestDatabase.get().truncateAll();
        int total = Integer.getInteger("safety.memory.requests", 100_000);
        int warmUp = total / 10;

        post(warmUp);
        Events.awaitAllProcessed(Duration.ofMinutes(2), Duration.ofMillis(200));
        long heapBefore = heapAfterGc();
        String metricsBefore = metrics();

        long start = System.nanoTime();
        post(total - warmUp);
        double seconds = (System.nanoTime() - start) / 1e9;
        Events.awaitAllProcessed(Duration.ofMinutes(5), Duration.ofMillis(200));
        double drained = (System.nanoTime() - start) / 1e9;
        long heapAfter = heapAfterGc();
        String metricsAfter = metrics();
        JsonNode stats = RunningApp.json(app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET()));

        System.out.printf("bounded memory: %d webhooks with random app ids and event types (posted at %.0f/s, "
                + "all processed after %.1f s); heap after GC "
                + "%.1f MB after %d, %.1f MB after %d; metrics page %d -> %d bytes; /stats lists %d of %d apps%n",
                total, (total - warmUp) / seconds, drained, heapBefore / 1e6, warmUp, heapAfter / 1e6, total,
                metricsBefore.length(), metricsAfter.length(), stats.get("apps").size(),
                stats.get("apps").size() + stats.get("apps_omitted").asInt());
        assertThat(heapAfter - heapBefore).as("heap growth after GC, bytes").isLessThan(16_000_000L);
        assertThat(metricsAfter.length() - metricsBefore.length()).as("metrics page growth, bytes")
                .isLessThan(4_000);
        assertThat(metricsAfter.lines().filter(l -> l.startsWith("dialpad_events_processed_total{"))
                .filter(l -> !l.contains("event_type=\"other\"")).count())
                .as("no processed-events series but for known event types").isZero();
        assertThat(metricsAfter).contains("dialpad_events_processed_total{event_type=\"other\",outcome=\"skipped\"}");
        assertThat(stats.get("apps").size()).isLessThanOrEqualTo(100);
        assertThat(stats.get("event_types").size()).isLessThanOrEqualTo(100);
        assertThat(stats.get("apps_omitted").asInt()).isGreaterThanOrEqualTo(total - 100);
        assertThat(stats.get("skipped").asLong()).as("the totals still count everything").isEqualTo(total);
    }

    private void post(int count) throws Exception {
        int[] statuses = PipelinedPoster.post(app.uri("/").getPort(), count, 16, 16, i -> {
            String appId = "a" + Long.toHexString(random.nextLong());
            String body = "{\"event_type\":\"t." + Long.toHexString(random.nextLong()) + "\",\"id\":\""
                    + Long.toHexString(random.nextLong()) + "\",\"payload\":{\"n\":" + i + "}}";
            return new PipelinedPoster.Request("/webhooks/dialpad/" + appId, body.getBytes(StandardCharsets.UTF_8));
        });
        assertThat(statuses[202]).as("webhooks answered 202").isEqualTo(count);
    }

    private String metrics() {
        return app.send(HttpRequest.newBuilder(app.managementUri("/observe/metrics")).GET()).body();
    }

    /** Heap in use after full collections (the service runs in this JVM). */
    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc(); // a full collection, finished when it returns
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
