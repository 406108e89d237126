package io.github.dialpadwebhooks.reliability;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.DialpadSigner;

/**
 * Webhook senders that behave like Dialpad: each event is posted until it gets a 2xx, retrying after a connection
 * failure or a 5xx. Records which events were acknowledged and how the service answered.
 */
final class Senders {

    final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    final LongAdder connectionFailures = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder clientErrors = new LongAdder();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static String callEvent(int i) {
        return Fixtures.call(7_900_000_000_000_000L + i).state("hangup").at(1_731_600_000_000L + i)
                .set("date_started", 1_731_599_990_000L + i).set("date_ended", 1_731_600_000_000L + i)
                .set("duration", 10000.5).numbers("+15550001", "+15550002").json();
    }

    /** Sends events 0..count-1 from {@code threads} threads to the URI the supplier gives at each attempt. */
    void send(int count, int threads, String secret, Supplier<java.net.URI> target, long timeoutSeconds)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        IntFunction<String> body = i -> secret == null ? callEvent(i) : DialpadSigner.sign(callEvent(i), secret);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String b = body.apply(i);
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(target.get())
                                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(b))
                                    .build(), HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() / 100 == 2) {
                                acknowledged.add(i);
                                break;
                            }
                            if (r.statusCode() >= 500) {
                                serverErrors.increment();
                            } else {
                                clientErrors.increment();
                                break;
                            }
                        } catch (IOException e) {
                            connectionFailures.increment();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        try {
                            Thread.sleep(50); // pacing before the retry, as a sender would
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(timeoutSeconds, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
