package io.github.dialpadwebhooks.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load held: webhooks at a steady rate for a long time against a real process with the processor
 * running: no error, lag under 2 s, resident memory flat. Full size with -Preliability (1,000 events/s for 10
 * minutes); -Dreliability.load.rate and -Dreliability.load.seconds change it.
 */
@Tag("reliability-full")
class LoadHeldTest {

    @Test
    void should_hold_a_steady_load_without_error_lag_or_memory_growth() throws Exception {
        int rate = Integer.getInteger("reliability.load.rate", 1000);
        int seconds = Integer.getInteger("reliability.load.seconds", 600);
        TestDatabase.get().truncateAll();
        ServiceProcess service = new ServiceProcess("load-held", TestDatabase.get().jdbcUrl());
        service.start();
        Vertx vertx = Vertx.vertx();
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        int perTick = Math.max(1, rate / 100);
        timer.scheduleAtFixedRate(() -> {
            for (int k = 0; k < perTick; k++) {
                Buffer body = Buffer.buffer(Senders.callEvent(next.getAndIncrement()));
                client.request(HttpMethod.POST, service.port(), "127.0.0.1", "/webhooks/dialpad")
                        .compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> resp.statusCode()))
                        .onComplete(ar -> {
                            if (ar.succeeded() && ar.result() / 100 == 2) {
                                ok.increment();
                            } else {
                                failed.increment();
                            }
                        });
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper mapper = new ObjectMapper();
        List<Double> lags = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(5000); // the sampling interval of lag and memory
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(service.managementUri("/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            lags.add(mapper.readTree(stats.body()).get("lag_seconds").asDouble());
            rss.add(service.rssMb());
        }
        timer.shutdownNow();
        // every request sent has been answered
        await().atMost(Duration.ofSeconds(30)).until(() -> ok.sum() + failed.sum() == next.get());
        try {
            Events.awaitAllProcessed(Duration.ofSeconds(60));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("load held: still unprocessed after 60 s: " + http.send(HttpRequest.newBuilder(
                    service.managementUri("/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
            System.out.println(io.github.dialpadwebhooks.support.Sql.rows("SELECT attempts, claimed_by IS NOT NULL "
                    + "AS claimed, available_at > now() AS later, left(last_error, 100) AS error, count(*) "
                    + "FROM webhook_events WHERE processed_at IS NULL GROUP BY 1, 2, 3, 4"));
            throw e;
        }
        int exit = service.stop();
        vertx.close();

        double maxLag = lags.stream().mapToDouble(d -> d).max().orElse(0);
        int quarter = Math.max(1, rss.size() / 4);
        double early = rss.subList(0, quarter).stream().mapToLong(l -> l).average().orElse(0);
        double late = rss.subList(rss.size() - quarter, rss.size()).stream().mapToLong(l -> l).average().orElse(0);
        System.out.printf("load held: lag samples %s%n", lags);
        System.out.printf("load held: %d events/s for %d s: %d accepted, %d failed; lag max %.2f s; RSS first "
                + "quarter %.0f MB, last quarter %.0f MB (max %d MB)%n", rate, seconds, ok.sum(), failed.sum(), maxLag,
                early, late, rss.stream().mapToLong(l -> l).max().orElse(0));
        assertThat(failed.sum()).isZero();
        assertThat(maxLag).isLessThan(2.0);
        assertThat(late).as("memory flat").isLessThan(early * 1.25 + 20);
        assertThat(exit).isZero();
    }

}
