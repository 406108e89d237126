package io.github.dialpadwebhooks.safety;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both ports cap every body at its limit, declared or chunked (the contract's JSON 413), cut off a sender that
 * trickles its request (408) without slowing anyone else, close idle connections, and bound the request bodies held
 * in memory at once (503 with Retry-After beyond it).
 */
class BodyLimitsAndTimeoutsTest {

    static final int WEBHOOK_LIMIT = 65_536;

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("camel.server.max-body-size", Integer.toString(WEBHOOK_LIMIT))
            .and("management.max-body-bytes", "32768")
            .and("http.request-read-timeout-ms", "1500")
            .and("http.idle-timeout-seconds", "2")
            .and("ingest.max-in-flight-bytes", "8192");

    @BeforeEach
    void clean() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_answer_a_chunked_webhook_body_over_the_limit_with_the_json_413() {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/webhooks/dialpad"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        ("{\"a\":\"" + "x".repeat(WEBHOOK_LIMIT * 2) + "\"}").getBytes(StandardCharsets.US_ASCII)))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
        assertThat(app.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                .as("a normal webhook after it").isEqualTo(202);
    }

    @Test
    void should_cap_chunked_and_declared_admin_bodies_before_reading_them() {
        HttpResponse<String> chunked = app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[100_000]))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(json(chunked).get("error").asText()).isEqualTo("body_too_large");
        HttpResponse<String> declared = app.send(HttpRequest.newBuilder(app.managementUri("/console/login"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[40_000])));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).get("error").asText()).isEqualTo("body_too_large");
    }

    @Test
    void should_cut_off_a_trickling_webhook_sender_and_serve_others_meanwhile() throws Exception {
        CompletableFuture<String> trickled = CompletableFuture.supplyAsync(
                () -> trickle(app.uri("/").getPort(), "/webhooks/dialpad", 500, 200));
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(app.post("/webhooks/dialpad", Samples.text("call-ringing.json").replace("1731605955966",
                    Long.toString(1731605955966L + i))).statusCode()).as("others meanwhile").isEqualTo(202);
        }
        String answer = trickled.get();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
        assertThat(elapsedMs).as("cut off after the read timeout, not after the whole trickle").isLessThan(8_000);
    }

    @Test
    void should_cut_off_a_trickling_admin_sender() {
        assertThat(trickle(app.managementUri("/").getPort(), "/console/login", 500, 200))
                .startsWith("HTTP/1.1 408").contains("request_timeout");
    }

    @Test
    void should_close_idle_connections_on_both_ports() throws Exception {
        for (int port : new int[] {app.uri("/").getPort(), app.managementUri("/").getPort()}) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /observe/health/live HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long start = System.nanoTime();
                String answered = readUntilClosed(socket.getInputStream());
                long idleMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(answered).as("port " + port).startsWith("HTTP/1.1 ");
                assertThat(idleMs).as("port " + port + " closed the kept-alive connection").isBetween(1_000L, 9_000L);
            }
            try (Socket silent = new Socket("127.0.0.1", port)) {
                silent.setSoTimeout(10_000);
                assertThat(silent.getInputStream().read()).as("a connection that never speaks is closed").isEqualTo(-1);
            }
        }
    }

    @Test
    void should_refuse_webhooks_beyond_the_in_flight_body_budget_with_a_retryable_503() throws Exception {
        // a slow sender reserves 8,000 of the 8,192 bytes until it is cut off
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(
                () -> trickle(app.uri("/").getPort(), "/webhooks/dialpad", 8_000, 300));
        HttpResponse<String> busy = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> app.post("/webhooks/dialpad", Samples.text("call-ringing.json")),
                        r -> r.statusCode() == 503);
        assertThat(json(busy).get("error").asText()).isEqualTo("busy");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(slow.get()).startsWith("HTTP/1.1 408");
        assertThat(app.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                .as("the budget is back once the slow request is gone").isBetween(200, 202);
    }

    /** Sends the head of a POST declaring {@code length} bytes, then one byte every {@code everyMs}; the answer. */
    private static String trickle(int port, String path, int length, long everyMs) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < length; i++) {
                try {
                    out.write('{');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                if (in.available() > 0) {
                    break;
                }
                Thread.sleep(everyMs); // pacing: the trickle
            }
            return readUntilClosed(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) != -1;) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return bytes.toString(StandardCharsets.US_ASCII) + "[still open]";
        } catch (IOException reset) {
            // a reset after the answer still counts as closed
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
