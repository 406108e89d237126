import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

/**
 * HTTP load for the webhook endpoint, run as a single source file with the service's jar on the class path (for
 * Vert.x, a Netty HTTP client cheap enough to share two cores with the service and PostgreSQL):
 *
 * <pre>
 * java -cp target/dialpad-camel-postgres.jar bench/LoadGenerator.java --url http://127.0.0.1:8080/webhooks/dialpad --connections 64 --seconds 20 \
 *      [--warmup 5] [--secret s3cret] [--format dialpad|node] [--rate 500]
 * </pre>
 *
 * Every request is a unique, realistic Dialpad call event (the shape of the samples, ~1.3 KB), signed as Dialpad
 * signs (compact JWT, HS256) when --secret is given. --format node wraps it in the Node.js baseline's envelope
 * instead. Closed loop (N connections, each sends its next request when the previous one is answered) unless
 * --rate is given (open loop at that many requests/s). Prints one line of figures.
 */
public final class LoadGenerator {

    private static final String TEMPLATE = "{\"call_id\":%d,\"call_recording_ids\":[],\"callback_requested\":null,"
            + "\"contact\":{\"email\":\"\",\"id\":6480210643730432,\"name\":\"obscure user\",\"phone\":\"+15109109100\","
            + "\"type\":\"local\"},\"csat_score\":null,\"date_connected\":null,\"date_ended\":null,"
            + "\"date_first_rang\":%d,\"date_queued\":null,\"date_rang\":null,\"date_started\":%d,"
            + "\"direction\":\"inbound\",\"duration\":null,\"entry_point_call_id\":null,\"entry_point_target\":{},"
            + "\"event_timestamp\":%d,\"external_number\":\"+15109109100\",\"group_id\":null,\"hold_time\":null,"
            + "\"internal_number\":\"+15105105100\",\"is_transferred\":false,\"labels\":[],\"master_call_id\":null,"
            + "\"mos_score\":null,\"operator_call_id\":null,\"proxy_target\":{},\"recording_details\":[],"
            + "\"routing_breadcrumbs\":[],\"state\":\"ringing\",\"talk_time\":null,\"target\":{\"email\":"
            + "\"obscured2@example.com\",\"id\":5991398486736896,\"name\":\"obscure2 user\",\"office_id\":"
            + "5527348325810176,\"phone\":\"+15105105100\",\"type\":\"user\"},\"target_availability_status\":\"open\","
            + "\"total_duration\":null,\"transcription_text\":null,\"voicemail_link\":null,"
            + "\"voicemail_recording_id\":null,\"was_recorded\":false}";

    private static final String[] PARTS = TEMPLATE.split("%d", -1);
    /** When the generator started: a failed request is printed with its time since then. */
    private static final long STARTED = System.nanoTime();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final URI uri;
    private Mac mac;
    private final String secret;
    private final boolean node;
    private final AtomicLong callId = new AtomicLong(6_000_000_000_000_000L + (System.currentTimeMillis() % 1_000_000_000L) * 1000);
    private final Vertx vertx = Vertx.vertx();
    private HttpClient client;

    private volatile boolean measuring;
    private final LongAdder ok = new LongAdder();
    private final LongAdder non2xx = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private long[] latencies = new long[1 << 20];
    private final AtomicLong latencyCount = new AtomicLong();

    private LoadGenerator(URI uri, String secret, boolean node) {
        this.uri = uri;
        this.secret = secret;
        this.node = node;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        LoadGenerator g = new LoadGenerator(URI.create(a.getOrDefault("url", "http://127.0.0.1:8080/webhooks/dialpad")),
                a.get("secret"), "node".equals(a.get("format")));
        int connections = Integer.parseInt(a.getOrDefault("connections", "64"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        String rate = a.get("rate");
        if (rate != null) {
            g.openLoop(Integer.parseInt(rate), warmup, seconds);
        } else {
            g.closedLoop(connections, warmup, seconds);
        }
        g.report(rate != null ? "rate=" + rate : "connections=" + connections, seconds);
        System.exit(0);
    }

    private Buffer nextBody() {
        long id = callId.incrementAndGet();
        long now = System.currentTimeMillis();
        String event = PARTS[0] + id + PARTS[1] + (now - 500) + PARTS[2] + (now - 900) + PARTS[3] + now + PARTS[4];
        String body;
        if (node) {
            body = "{\"id\":\"evt-" + id + "\",\"event_type\":\"call.ring\",\"app_id\":\"default\",\"payload\":" + event + "}";
        } else if (secret != null) {
            body = sign(event);
        } else {
            body = event;
        }
        return Buffer.buffer(body);
    }

    private Future<Void> one() {
        long start = System.nanoTime();
        Buffer body = nextBody();
        return client.request(HttpMethod.POST, uri.getPort(), uri.getHost(), uri.getPath())
                .compose(req -> req.putHeader("Content-Type", "application/json").send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .transform(ar -> {
                    if (measuring) {
                        if (ar.failed()) {
                            failed.increment();
                            if (failed.sum() <= 50) {
                                System.err.printf("request failed at %.3f s (after %.1f ms): %s%n",
                                        (System.nanoTime() - STARTED) / 1e9, (System.nanoTime() - start) / 1e6, ar.cause());
                            }
                        } else if (ar.result() / 100 == 2) {
                            ok.increment();
                            record(System.nanoTime() - start);
                        } else {
                            non2xx.increment();
                        }
                    }
                    return Future.succeededFuture();
                });
    }

    private void connect(int connections) {
        // idle connections leave the pool after 20 s (before the service's 60 s idle timeout closes them); no idle
        // timeout on the connection itself, which can close a connection just taken from the pool for a request
        // (vert.x issue 2517: the request then fails with "Connection was closed")
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000)
                .setIdleTimeout(0).setKeepAliveTimeout(20),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    private void closedLoop(int connections, int warmup, int seconds) throws InterruptedException {
        connect(connections);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds);
        CountDownLatch done = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            loop(end, done);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        measuring = true;
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        measuring = false;
        done.await(30, TimeUnit.SECONDS);
    }

    private void loop(long end, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        one().onComplete(ar -> loop(end, done));
    }

    private void openLoop(int rate, int warmup, int seconds) throws InterruptedException {
        connect(256);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        timer.scheduleAtFixedRate(() -> vertx.runOnContext(v -> one()), 0, periodNanos, TimeUnit.NANOSECONDS);
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        measuring = true;
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        measuring = false;
        timer.shutdownNow();
        Thread.sleep(2000);
    }

    private synchronized void record(long nanos) {
        long i = latencyCount.getAndIncrement();
        if (i >= latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[(int) i] = nanos;
    }

    private synchronized void report(String what, int seconds) {
        int n = (int) Math.min(latencyCount.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("%s requests=%d rps=%.0f p50_ms=%.1f p99_ms=%.1f p999_ms=%.1f non2xx=%d errors=%d%n", what,
                ok.sum() + non2xx.sum(), ok.sum() / (double) seconds, pct(sorted, 50), pct(sorted, 99),
                pct(sorted, 99.9), non2xx.sum(), failed.sum());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    private String sign(String claims) {
        try {
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            }
            String input = HEADER + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
