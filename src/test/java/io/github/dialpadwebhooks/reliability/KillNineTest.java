package io.github.dialpadwebhooks.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL under load, three times, while senders keep posting (and retrying, as Dialpad does): every event that got
 * a 2xx is in webhook_events exactly once and is projected. Sizes: -Dreliability.kill.events (default 1,500 in
 * mvn test; 5,000 with -Preliability).
 */
class KillNineTest {

    @Test
    void should_keep_every_acknowledged_event_through_three_sigkills() throws Exception {
        int events = Integer.getInteger("reliability.kill.events", 1500);
        TestDatabase.get().truncateAll();
        ServiceProcess service = new ServiceProcess("kill-nine", TestDatabase.get().jdbcUrl())
                .env("DIALPAD_WEBHOOK_SECRET", "kill-secret")
                .env("PROCESSOR_BATCH_SIZE", "100").env("PROCESSOR_POLL_DELAY_MS", "20")
                .env("PROCESSOR_LEASE_SECONDS", "3");
        service.start();
        Senders senders = new Senders();
        Thread traffic = new Thread(() -> {
            try {
                senders.send(events, 6, "kill-secret", () -> service.uri("/webhooks/dialpad"), 300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        traffic.start();
        Random random = new Random();
        for (int kill = 1; kill <= 3; kill++) {
            int target = events * kill / 4;
            int killNumber = kill;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                    .conditionEvaluationListener(condition -> {
                        if (condition.getElapsedTimeInMS() % 1000 < 10) {
                            System.out.printf("kill %d: acknowledged %d/%d, connection failures %d, 5xx %d%n",
                                    killNumber, senders.acknowledged.size(), target, senders.connectionFailures.sum(),
                                    senders.serverErrors.sum());
                        }
                    })
                    .until(() -> senders.acknowledged.size() >= target);
            Thread.sleep(random.nextInt(300)); // the kill lands at a random moment of the traffic
            service.kill9();
            service.start();
        }
        traffic.join(Duration.ofMinutes(5).toMillis());
        Events.awaitAllProcessed(Duration.ofSeconds(60));
        service.stop();

        assertThat(senders.acknowledged).hasSize(events);
        assertThat(senders.clientErrors.sum()).isZero();
        List<Object> ids = Sql.rows("SELECT (payload->>'call_id')::bigint - 7900000000000000 AS i FROM webhook_events")
                .stream().map(r -> ((Number) r.get("i")).intValue()).map(Object.class::cast).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSize(events);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'")).isEqualTo(events);
        assertThat(Sql.count("SELECT count(*) FROM calls WHERE status = 'ended'")).isEqualTo(events);
        System.out.printf("kill -9 x3: %d events acknowledged, all stored once and projected; %d connection "
                + "failures and %d 5xx answers were retried by the senders; %d events were claimed more than once%n",
                events, senders.connectionFailures.sum(), senders.serverErrors.sum(),
                Sql.count("SELECT count(*) FROM webhook_events WHERE attempts > 1"));
    }
}
