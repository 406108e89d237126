package io.github.dialpadwebhooks.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TcpProxy;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away for ~5 s under steady traffic (cut at the network, through a TCP proxy, which the
 * process cannot tell from a stopped server): meanwhile webhooks get 503 and never a 2xx, readiness is DOWN, the
 * process stays up; within 10 s of the database's return webhooks are accepted again, and every acknowledged event
 * is projected.
 */
class DatabaseOutageUnderLoadTest {

    @Test
    void should_answer_503_during_an_outage_and_recover_by_itself() throws Exception {
        TestDatabase db = TestDatabase.get();
        db.truncateAll();
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            ServiceProcess service = new ServiceProcess("outage", db.jdbcUrlVia("127.0.0.1", proxy.port()))
                    .env("DATABASE_CONNECTION_TIMEOUT_MS", "1000").env("PROCESSOR_POLL_DELAY_MS", "50");
            service.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger during2xx = new AtomicInteger();
            AtomicInteger during503 = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            AtomicBoolean outage = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong firstAcceptAfterReturn = new AtomicLong();
            AtomicLong returnedAt = new AtomicLong();
            Thread traffic = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(service.uri("/webhooks/dialpad"))
                                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                                        Senders.callEvent(i))).build(), HttpResponse.BodyHandlers.discarding());
                        boolean down = outage.get();
                        if (r.statusCode() / 100 == 2) {
                            acknowledged.add(i);
                            if (down) {
                                during2xx.incrementAndGet();
                            } else if (returnedAt.get() > 0) {
                                firstAcceptAfterReturn.compareAndSet(0, System.nanoTime());
                            }
                        } else if (r.statusCode() == 503) {
                            during503.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                        Thread.sleep(20); // pacing: about 50 requests a second
                    } catch (Exception e) {
                        other.incrementAndGet();
                    }
                }
            });
            traffic.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);

            proxy.cut();
            // requests in flight when the cut happens may still complete: the outage starts with the first 503
            await().atMost(Duration.ofSeconds(10)).until(() -> during503.get() > 0);
            outage.set(true);
            // readiness goes DOWN while the database is away (the await fails otherwise)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !service.ready());
            int refusedAtStart = during503.get();
            // a few more refusals (each waits for the pool to give up on the database, ~2 s)
            await().atMost(Duration.ofSeconds(30)).until(() -> during503.get() >= refusedAtStart + 3);
            assertThat(service.alive()).as("the process stays up").isTrue();
            outage.set(false);
            proxy.restore();
            returnedAt.set(System.nanoTime());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> firstAcceptAfterReturn.get() != 0);
            int acceptedAfterReturn = acknowledged.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= acceptedAfterReturn + 20);
            running.set(false);
            traffic.join(20_000);
            Events.awaitAllProcessed(Duration.ofSeconds(30));
            int exit = service.stop();

            assertThat(during2xx.get()).as("2xx while the database was away").isZero();
            assertThat(during503.get()).as("503 answers during the outage").isPositive();
            assertThat(other.get()).as("answers other than 2xx/503, or failed requests").isZero();
            assertThat(firstAcceptAfterReturn.get()).as("accepted again within 10 s").isPositive();
            double recoverySeconds = (firstAcceptAfterReturn.get() - returnedAt.get()) / 1e9;
            List<Object> stored = Sql.rows("SELECT (payload->>'call_id')::bigint - 7900000000000000 AS i "
                    + "FROM webhook_events WHERE outcome = 'processed'").stream()
                    .map(r -> (Object) ((Number) r.get("i")).intValue()).toList();
            assertThat(stored).containsAll(acknowledged.stream().map(Object.class::cast).toList());
            assertThat(exit).isZero();
            System.out.printf("database outage: %d webhooks answered 503 and 0 answered 2xx during the outage; readiness "
                    + "DOWN; accepted again %.1f s after the database returned; %d acknowledged, all projected%n",
                    during503.get(), recoverySeconds, acknowledged.size());
        }
    }
}
