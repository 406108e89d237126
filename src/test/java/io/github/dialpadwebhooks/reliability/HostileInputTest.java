package io.github.dialpadwebhooks.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malformed and malicious requests (broken JSON and JWTs, alg none, key confusion, oversized and deeply
 * nested bodies, invalid UTF-8, huge numbers, wrong methods and paths, headers naming Camel options, a slow sender
 * trickling its body): not one 5xx, not one row stored, and a valid event is still accepted afterwards.
 */
class HostileInputTest {

    static final String SECRET = "hostile-secret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET);

    record Attack(String name, String method, String path, byte[] body, String contentType) {
    }

    @Test
    void should_answer_every_hostile_request_without_a_5xx_and_store_nothing() throws Exception {
        TestDatabase.get().truncateAll();
        List<Attack> corpus = corpus(new Random(20261129L));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);

        List<String> fiveHundreds = new ArrayList<>();
        for (Attack attack : corpus) {
            HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(attack.path()))
                    .method(attack.method(), attack.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(attack.body()));
            if (attack.contentType() != null) {
                request.header("Content-Type", attack.contentType());
            }
            request.header("CamelSqlQuery", "DELETE FROM webhook_events");
            HttpResponse<String> response = app.send(request);
            if (response.statusCode() >= 500 || response.statusCode() < 400) {
                fiveHundreds.add(attack.name() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(slowSender()).isBetween(400, 499);

        assertThat(fiveHundreds).as("requests not answered with a 4xx").isEmpty();
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isZero();
        HttpResponse<String> valid = app.post("/webhooks/dialpad", DialpadSigner.sign(Samples.text("call-hangup.json"),
                SECRET));
        assertThat(valid.statusCode()).isEqualTo(202);
        System.out.println("hostile corpus: " + (corpus.size() + 1) + " requests, 0 answered 5xx or 2xx, 0 rows");
    }

    /** A sender that trickles a small invalid body byte by byte: answered (4xx) once it is complete. */
    private static int slowSender() throws IOException, InterruptedException {
        byte[] body = "{\"call_id\": 1, \"state\": ".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", app.uri("/").getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/dialpad HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                    + "\r\nContent-Type: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte b : body) {
                out.write(b);
                out.flush();
                Thread.sleep(20); // pacing: one byte every 20 ms
            }
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    static List<Attack> corpus(Random random) {
        List<Attack> corpus = new ArrayList<>();
        String event = Samples.text("call-ringing.json");
        String signed = DialpadSigner.sign(event, SECRET);
        String[] parts = signed.split("\\.");
        String post = "POST";
        String path = "/webhooks/dialpad";

        // broken JSON: every prefix of a real event, unsigned (401 or 400) and as signed claims (400)
        for (int cut = 0; cut < event.length(); cut += Math.max(1, event.length() / 60)) {
            String prefix = event.substring(0, cut);
            corpus.add(new Attack("prefix " + cut, post, path, bytes(prefix), "application/json"));
            corpus.add(new Attack("signed prefix " + cut, post, path, bytes(DialpadSigner.sign(prefix, SECRET)), null));
        }
        // broken JWTs
        for (int i = 0; i < 120; i++) {
            char[] chars = signed.toCharArray();
            for (int k = 0; k < 1 + random.nextInt(5); k++) {
                String replacements = "AZaz09-_.=+/ {}\"\\\u00e9";
                chars[random.nextInt(chars.length)] = replacements.charAt(random.nextInt(replacements.length()));
            }
            corpus.add(new Attack("mutated jwt " + i, post, path, bytes(new String(chars)), null));
        }
        corpus.add(new Attack("two parts", post, path, bytes(parts[0] + "." + parts[1]), null));
        corpus.add(new Attack("four parts", post, path, bytes(signed + ".x"), null));
        corpus.add(new Attack("empty parts", post, path, bytes(".."), null));
        corpus.add(new Attack("padding", post, path, bytes(signed + "=="), null));
        for (String alg : new String[] { "none", "None", "NONE", "HS512", "HS384", "RS256", "ES256", "PS256", "hs256",
                "HS256 ", "" }) {
            String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
            corpus.add(new Attack("alg " + alg, post, path, bytes(DialpadSigner.sign(header, event, "HmacSHA256", SECRET)),
                    null));
            corpus.add(new Attack("alg " + alg + " unsigned", post, path, bytes(DialpadSigner.unsigned(header, event)), null));
        }
        corpus.add(new Attack("alg missing", post, path, bytes(DialpadSigner.sign("{\"typ\":\"JWT\"}", event,
                "HmacSHA256", SECRET)), null));
        corpus.add(new Attack("alg number", post, path, bytes(DialpadSigner.sign("{\"alg\":256}", event, "HmacSHA256",
                SECRET)), null));
        corpus.add(new Attack("crit", post, path, bytes(DialpadSigner.sign("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
                event, "HmacSHA256", SECRET)), null));
        corpus.add(new Attack("key confusion: public-key-like secret", post, path, bytes(DialpadSigner.sign(
                "{\"alg\":\"HS256\"}", event, "HmacSHA256", "-----BEGIN PUBLIC KEY-----")), null));
        corpus.add(new Attack("header array", post, path, bytes(DialpadSigner.b64("[1]") + "." + parts[1] + "."
                + parts[2]), null));
        corpus.add(new Attack("claims array", post, path, bytes(DialpadSigner.sign("[" + event + "]", SECRET)), null));
        // invalid UTF-8, NUL, surrogates, numbers, nesting
        for (int i = 0; i < 40; i++) {
            byte[] b = event.getBytes(StandardCharsets.UTF_8);
            b[1 + random.nextInt(b.length - 2)] = (byte) (0x80 + random.nextInt(0x80));
            corpus.add(new Attack("bad utf8 " + i, post, path, b, "application/json"));
            corpus.add(new Attack("signed bad utf8 " + i, post, path, bytes(parts[0] + "."
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "." + parts[2]), null));
        }
        for (String s : new String[] { "{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}",
                "{\"\\u0000\":1}", "{\"n\":1e999999}", "{\"n\":-1e-999999}", "{\"n\":" + "9".repeat(2000) + "}",
                "{\"n\":NaN}", "{\"n\":Infinity}", "{\"n\":0x10}", "{\"n\":01}", "{\"a\":1,\"a\":2}", "{'a':1}",
                "{\"a\":1,}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":/*c*/1}", "\uFEFF{\"a\":1}" }) {
            corpus.add(new Attack("json " + s.substring(0, Math.min(20, s.length())), post, path, bytes(s), null));
            corpus.add(new Attack("signed json " + s.substring(0, Math.min(20, s.length())), post, path,
                    bytes(DialpadSigner.sign(s, SECRET)), null));
        }
        for (int depth : new int[] { 201, 1000, 10_000, 100_000 }) {
            corpus.add(new Attack("nested objects " + depth, post, path,
                    bytes("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)), null));
            corpus.add(new Attack("nested arrays " + depth, post, path,
                    bytes("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}"), null));
            corpus.add(new Attack("signed nested " + depth, post, path,
                    bytes(DialpadSigner.sign("{\"a\":".repeat(depth) + "1" + "}".repeat(depth), SECRET)), null));
        }
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) '{');
        corpus.add(new Attack("2 MiB", post, path, big, null));
        corpus.add(new Attack("1 MiB + 1", post, path, Arrays.copyOf(big, 1024 * 1024 + 1), null));
        // content types, methods, paths
        for (String type : new String[] { "application/x-www-form-urlencoded", "multipart/form-data; boundary=--x",
                "multipart/form-data", "text/xml", "application/json; charset=utf-16", "image/png", "*/*", "" }) {
            corpus.add(new Attack("content type " + type, post, path, bytes("a=b&c=d"), type.isEmpty() ? null : type));
            corpus.add(new Attack("unsigned event as " + type, post, path, bytes(event), type.isEmpty() ? null : type));
        }
        for (String method : new String[] { "GET", "PUT", "DELETE", "PATCH", "OPTIONS" }) {
            corpus.add(new Attack(method, method, path, method.equals("GET") ? null : bytes(signed), null));
            corpus.add(new Attack(method + " app", method, path + "/acme", method.equals("GET") ? null : bytes(signed),
                    null));
        }
        for (String p : new String[] { "/webhooks/dialpad/" + "a".repeat(65), "/webhooks/dialpad/a%00b",
                "/webhooks/dialpad/..%2F..%2Fetc", "/webhooks/dialpad/a%20b", "/webhooks/dialpad/a.b",
                "/webhooks/dialpad/%C3%A9", "/webhooks", "/webhooks/dialpad/a/b", "/dead-letters", "/stats",
                "/observe/health", "/webhooks/dialpadx" }) {
            corpus.add(new Attack("path " + p, post, p, bytes(signed), null));
        }
        // random bytes
        for (int i = 0; i < 100; i++) {
            byte[] b = new byte[1 + random.nextInt(3000)];
            random.nextBytes(b);
            corpus.add(new Attack("random bytes " + i, post, path, b, null));
        }
        return corpus;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
