package io.github.dialpadwebhooks.ingest;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear JSON 4xx, never a 5xx, and stores nothing. */
class BadInputTest {

    @RegisterExtension
    static RunningApp app = RunningApp.create();

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @AfterEach
    void storedNothing() {
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isZero();
    }

    @Test
    void should_answer_400_for_an_empty_body() {
        assertRejected(app.post("/webhooks/dialpad", ""), 400, "empty_body");
        assertRejected(app.post("/webhooks/dialpad", "  \r\n "), 400, "empty_body");
    }

    @Test
    void should_answer_400_for_truncated_json() {
        String sample = Samples.text("call-ringing.json");
        assertRejected(app.post("/webhooks/dialpad", sample.substring(0, sample.length() / 2)), 400, "invalid_json");
    }

    @Test
    void should_answer_400_for_json_that_is_not_an_object() {
        assertRejected(app.post("/webhooks/dialpad", "[{\"call_id\":1}]"), 400, "invalid_json");
        assertRejected(app.post("/webhooks/dialpad", "\"text\""), 400, "invalid_body");
        assertRejected(app.post("/webhooks/dialpad", "42"), 400, "invalid_body");
        assertRejected(app.post("/webhooks/dialpad", "null"), 400, "invalid_body");
    }

    @Test
    void should_answer_400_for_text_that_is_neither_json_nor_a_jwt() {
        assertRejected(app.post("/webhooks/dialpad", "hello=world&a=b"), 400, "invalid_body");
        assertRejected(app.post("/webhooks/dialpad", "<xml/>"), 400, "invalid_body");
    }

    @Test
    void should_answer_400_for_trailing_garbage_and_duplicate_keys() {
        assertRejected(app.post("/webhooks/dialpad", "{\"a\":1} {\"b\":2}"), 400, "invalid_json");
        assertRejected(app.post("/webhooks/dialpad", "{\"a\":1,\"a\":2}"), 400, "invalid_json");
    }

    @Test
    void should_answer_400_for_invalid_utf8() {
        byte[] body = "{\"text\":\"caf?\"}".getBytes(StandardCharsets.US_ASCII);
        body[11] = (byte) 0xC3; // a lead byte without its continuation
        assertRejected(app.post("/webhooks/dialpad", body), 400, "invalid_encoding");
        byte[] overlong = { '{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}' };
        assertRejected(app.post("/webhooks/dialpad", overlong), 400, "invalid_encoding");
    }

    @Test
    void should_answer_400_for_text_postgres_jsonb_cannot_hold() {
        assertRejected(app.post("/webhooks/dialpad", "{\"text\":\"a\\u0000b\"}"), 400, "invalid_json");
        assertRejected(app.post("/webhooks/dialpad", "{\"text\":\"\\ud800\"}"), 400, "invalid_json");
        assertRejected(app.post("/webhooks/dialpad", "{\"n\":1e999999}"), 400, "invalid_json");
    }

    @Test
    void should_answer_400_not_a_stack_overflow_for_10000_levels_of_nesting() {
        String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertRejected(app.post("/webhooks/dialpad", deep), 400, "invalid_json");
        String deepArrays = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertRejected(app.post("/webhooks/dialpad", deepArrays), 400, "invalid_json");
    }

    @Test
    void should_answer_413_for_a_body_over_1_mib() {
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) 'a');
        HttpResponse<String> declared = app.post("/webhooks/dialpad", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("body_too_large");

        HttpResponse<String> chunked = app.send(HttpRequest.newBuilder(app.uri("/webhooks/dialpad"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    @Test
    void should_answer_405_for_other_methods() {
        for (String method : new String[] { "GET", "PUT", "DELETE", "PATCH" }) {
            HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/webhooks/dialpad"))
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }
        HttpResponse<String> named = app.send(HttpRequest.newBuilder(app.uri("/webhooks/dialpad/acme")).GET());
        assertThat(named.statusCode()).isEqualTo(405);
    }

    @Test
    void should_answer_400_for_an_invalid_app_id() {
        assertRejected(app.post("/webhooks/dialpad/" + "x".repeat(65), Samples.text("call-ringing.json")), 400,
                "invalid_app_id");
        assertRejected(app.post("/webhooks/dialpad/a%20b", Samples.text("call-ringing.json")), 400,
                "invalid_app_id");
    }

    private static void assertRejected(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(RunningApp.json(response).get("error").asText()).isEqualTo(error);
    }
}
