package io.github.dialpadwebhooks.operations;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM on a real process under load: it stops taking webhooks (503, never a 404), finishes or releases the batch
 * it holds, exits 0; every event acknowledged before the signal is in the table, none is left claimed, and all are
 * processed after a restart.
 */
class GracefulShutdownTest {

    @Test
    void should_exit_0_on_sigterm_leave_nothing_claimed_and_lose_nothing_acknowledged() throws Exception {
        TestDatabase.get().truncateAll();
        ServiceProcess service = new ServiceProcess("graceful-shutdown", TestDatabase.get().jdbcUrl())
                .env("PROCESSOR_BATCH_SIZE", "50").env("PROCESSOR_POLL_DELAY_MS", "20");
        service.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(Duration.ofSeconds(60)).until(service::ready);

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<Integer> statuses = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < 3000; i = next.getAndIncrement()) {
                        String body = Fixtures.call(7_700_000_000_000_000L + i).state("ringing")
                                .at(1_731_600_000_000L + i).json();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(service.uri("/webhooks/dialpad"))
                                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            statuses.add(r.statusCode());
                            if (r.statusCode() == 202 || r.statusCode() == 200) {
                                acknowledged.add("call:" + (7_700_000_000_000_000L + i) + ":ringing:"
                                        + (1_731_600_000_000L + i));
                            }
                        } catch (IOException e) {
                            // the server is gone: the sender would retry
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1000);
            int exit = service.stop(); // SIGTERM
            senders.shutdownNow();
            senders.awaitTermination(20, TimeUnit.SECONDS);

            assertThat(exit).isZero();
            assertThat(statuses).as("only 2xx, or 503 while stopping: never a 4xx or another 5xx")
                    .isSubsetOf(List.of(200, 202, 503));
            assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NULL "
                    + "AND claimed_by IS NOT NULL")).as("claims left").isZero();
            List<Object> stored = Sql.rows("SELECT dialpad_event_id FROM webhook_events").stream()
                    .map(r -> r.get("dialpad_event_id")).toList();
            assertThat(stored).containsAll(acknowledged);
            System.out.println("graceful shutdown: " + acknowledged.size() + " acknowledged, "
                    + Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL")
                    + " processed before the signal took effect");
        } finally {
            if (service.alive()) {
                service.kill9();
            }
        }

        RunningApp restarted = RunningApp.withProperty("processor.poll-delay-ms", "20");
        restarted.start();
        try {
            Events.awaitAllProcessed(Duration.ofSeconds(60));
        } finally {
            restarted.stop();
        }
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome <> 'processed'")).isZero();
    }

}
