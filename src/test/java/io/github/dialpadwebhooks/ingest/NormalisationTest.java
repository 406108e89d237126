package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the normalisation table (docs/ingest.md), through the real HTTP route into the real table: once as
 * plain JSON (default app, no secret) and once signed as Dialpad signs (app "signed", which has its own secret).
 */
class NormalisationTest {

    static final String SECRET = "per-app-secret-\u00e9";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.apps.signed.secret", SECRET);

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    static Stream<Arguments> callStates() {
        return Stream.of(
                Arguments.of("ringing", "call.ring"),
                Arguments.of("calling", "call.ring"),
                Arguments.of("preanswer", "call.ring"),
                Arguments.of("queued", "call.ring"),
                Arguments.of("connected", "call.started"),
                Arguments.of("hangup", "call.ended"),
                Arguments.of("missed", "call.ended"),
                Arguments.of("blocked", "call.ended"),
                Arguments.of("recording", "call.recording.completed"),
                Arguments.of("admin_recording", "call.recording.completed"),
                Arguments.of("voicemail_uploaded", "call.recording.completed"),
                Arguments.of("hold", "call.hold"),
                Arguments.of("voicemail", "call.voicemail"),
                Arguments.of("transcription", "call.transcription"));
    }

    @ParameterizedTest(name = "call state {0} -> {1}")
    @MethodSource("callStates")
    void should_store_call_event_with_its_type_and_id_as_json_and_as_jwt(String state, String eventType) {
        ObjectNode event = Samples.tree("call-ringing.json");
        event.put("state", state);
        String json = Samples.json(event);
        String expectedId = "call:5314479320940544:" + state + ":1731605955966";

        assertStored(app.post("/webhooks/dialpad", json), "default", eventType, expectedId, json);
        assertStored(app.post("/webhooks/dialpad/signed", DialpadSigner.sign(json, SECRET)), "signed", eventType,
                expectedId, json);
    }

    @ParameterizedTest(name = "sms {0} -> {1}")
    @MethodSource("smsDirections")
    void should_store_sms_event_with_its_type_and_id_as_json_and_as_jwt(String direction, String eventType) {
        ObjectNode event = Samples.tree("sms-inbound.json");
        event.put("direction", direction);
        String json = Samples.json(event);
        String expectedId = "sms:6095823680520192:pending";

        assertStored(app.post("/webhooks/dialpad", json), "default", eventType, expectedId, json);
        assertStored(app.post("/webhooks/dialpad/signed", DialpadSigner.sign(json, SECRET)), "signed", eventType,
                expectedId, json);
    }

    static Stream<Arguments> smsDirections() {
        return Stream.of(Arguments.of("inbound", "sms.received"), Arguments.of("outbound", "sms.sent"));
    }

    @ParameterizedTest(name = "contact event {0} -> {1}")
    @MethodSource("contactEvents")
    void should_store_contact_events_keyed_by_contact_change_and_content(String event, String eventType)
            throws Exception {
        ObjectNode sample = Samples.tree("contact-created.json");
        sample.put("event", event);
        String json = Samples.json(sample);
        // the event's canonical JSON: keys sorted, no whitespace
        String canonical = String.format("{\"contact\":{\"company_name\":\"Example Ltd\",\"display_name\":\"Sample Test\",\"emails\""
                + ":[\"sample.test@example.com\"],\"extension\":\"12345\",\"first_name\":\"Sample\",\"id\":\""
                + "5908860123456789\",\"job_title\":\"Buyer\",\"last_name\":\"Test\",\"phones\":[\"+1604311"
                + "1111\",\"+16043111112\"],\"primary_email\":\"sample.test@example.com\",\"primary_phone\""
                + ":\"+16043111111\",\"trunk_group\":null,\"type\":\"shared\",\"urls\":[\"https://example.c"
                + "om\"]},\"event\":\"%s\"}", event);
        String expectedId = "contact:5908860123456789:" + eventType.substring("contact.".length()) + ":"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                        canonical.getBytes(StandardCharsets.UTF_8)));

        assertStored(app.post("/webhooks/dialpad", json), "default", eventType, expectedId, json);
        assertStored(app.post("/webhooks/dialpad/signed", DialpadSigner.sign(json, SECRET)), "signed", eventType,
                expectedId, json);
    }

    static Stream<Arguments> contactEvents() {
        return Stream.of(Arguments.of("Created", "contact.created"), Arguments.of("updated", "contact.updated"),
                Arguments.of("DELETED", "contact.deleted"));
    }

    @Test
    void should_store_agent_status_and_change_log_events_with_their_ids() {
        String status = Samples.text("agent-status.json");
        assertStored(app.post("/webhooks/dialpad", status), "default", "agent.status",
                "agent_status:5991398486736896:1731633000456", status);
        ObjectNode withoutTimestamp = Samples.tree("agent-status.json");
        withoutTimestamp.remove("event_timestamp");
        String dated = Samples.json(withoutTimestamp);
        assertStored(app.post("/webhooks/dialpad/signed", DialpadSigner.sign(dated, SECRET)), "signed",
                "agent.status", "agent_status:5991398486736896:1731633000123", dated);

        String change = Samples.text("change-log.json");
        assertStored(app.post("/webhooks/dialpad", change), "default", "change_log",
                "change_log:user:5991398486736896:operator_removed:1731634000789", change);

        // a call event with a target is still a call event
        ObjectNode call = Samples.tree("call-ringing.json");
        call.put("on_duty_status", "available");
        assertThat(RunningApp.json(app.post("/webhooks/dialpad", Samples.json(call))).get("dialpad_event_id")
                .asText()).startsWith("call:");
    }

    @Test
    void should_store_the_sample_bodies_unchanged() {
        for (String sample : List.of("call-ringing.json", "call-hangup.json", "sms-inbound.json",
                "call-recording.json", "call-recap-summary.json", "contact-created.json", "agent-status.json",
                "change-log.json")) {
            String body = Samples.text(sample);
            HttpResponse<String> response = app.post("/webhooks/dialpad", body);
            assertThat(response.statusCode()).as(sample).isEqualTo(202);
            assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE payload = CAST(? AS jsonb)", body))
                    .as(sample).isEqualTo(1);
        }
    }

    @Test
    void should_store_an_envelope_as_given_with_its_payload_as_the_event() {
        String payload = "{\"call\":{\"id\":1001,\"direction\":\"inbound\"}}";
        String json = "{\"event_type\":\"call.started\",\"id\":\"evt-1\",\"payload\":" + payload + "}";

        assertStored(app.post("/webhooks/dialpad", json), "default", "call.started", "evt-1", payload);
        assertStored(app.post("/webhooks/dialpad/signed", DialpadSigner.sign(json, SECRET)), "signed",
                "call.started", "evt-1", payload);
    }

    @Test
    void should_store_any_other_authentic_json_as_unknown_keyed_by_its_canonical_hash() throws Exception {
        String json = "{\"zeta\": [1, 2.50, \"caf\u00e9\"], \"alpha\": {\"b\": null, \"a\": true}}";
        String canonical = "{\"alpha\":{\"a\":true,\"b\":null},\"zeta\":[1,2.5,\"caf\u00e9\"]}";
        String expectedId = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));

        assertStored(app.post("/webhooks/dialpad", json), "default", "dialpad.unknown", expectedId, json);
        assertStored(app.post("/webhooks/dialpad/signed", DialpadSigner.sign(json, SECRET)), "signed",
                "dialpad.unknown", expectedId, json);
    }

    @Test
    void should_treat_a_reformatted_unknown_body_as_the_same_event() {
        String json = "{\"zeta\":[1,2.5,\"caf\u00e9\"],\"alpha\":{\"a\":true,\"b\":null}}";
        String reformatted = "{\n  \"alpha\" : { \"b\" : null, \"a\" : true },\n  \"zeta\" : [ 1, 2.50, \"caf\\u00e9\" ]\n}";

        HttpResponse<String> first = app.post("/webhooks/dialpad", json);
        HttpResponse<String> second = app.post("/webhooks/dialpad", reformatted);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).get("status").asText()).isEqualTo("duplicate");
        assertThat(json(second).get("id").asText()).isEqualTo(json(first).get("id").asText());
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(1);
    }

    @Test
    void should_answer_200_duplicate_with_the_same_row_for_a_redelivery() {
        String json = Samples.text("call-hangup.json");

        HttpResponse<String> first = app.post("/webhooks/dialpad", json);
        HttpResponse<String> again = app.post("/webhooks/dialpad", json);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("status").asText()).isEqualTo("duplicate");
        assertThat(json(again).get("id").asText()).isEqualTo(json(first).get("id").asText());
        assertThat(json(again).get("dialpad_event_id").asText())
                .isEqualTo("call:6421977457180672:hangup:1731624049994");
    }

    @Test
    void should_keep_the_same_event_of_two_apps_apart() {
        String json = Samples.text("call-hangup.json");

        assertThat(app.post("/webhooks/dialpad/app-a", json).statusCode()).isEqualTo(202);
        assertThat(app.post("/webhooks/dialpad/app-b", json).statusCode()).isEqualTo(202);

        assertThat(Sql.rows("SELECT app_id FROM webhook_events ORDER BY app_id"))
                .extracting(r -> r.get("app_id")).containsExactly("app-a", "app-b");
    }

    @Test
    void should_keep_a_call_id_above_2_pow_53_exact() {
        ObjectNode event = Samples.tree("call-ringing.json");
        event.put("call_id", 9007199254740993L);
        String json = Samples.json(event);
        assertThat(json).contains("9007199254740993");

        HttpResponse<String> response = app.post("/webhooks/dialpad", json);

        assertThat(response.statusCode()).isEqualTo(202);
        Map<String, Object> row = Sql.rows("SELECT dialpad_event_id, payload->>'call_id' AS call_id_text, "
                + "(payload->'call_id')::bigint AS call_id FROM webhook_events").get(0);
        assertThat(row.get("dialpad_event_id")).isEqualTo("call:9007199254740993:ringing:1731605955966");
        assertThat(row.get("call_id_text")).isEqualTo("9007199254740993");
        assertThat(row.get("call_id")).isEqualTo(9007199254740993L);
    }

    private static void assertStored(HttpResponse<String> response, String appId, String eventType,
            String dialpadEventId, String payloadJson) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
        JsonNode body = json(response);
        assertThat(body.get("dialpad_event_id").asText()).isEqualTo(dialpadEventId);
        List<Map<String, Object>> rows = Sql.rows("SELECT id::text AS id, event_type, "
                + "payload = CAST(? AS jsonb) AS same_payload, processed_at FROM webhook_events "
                + "WHERE app_id = ? AND dialpad_event_id = ?", payloadJson, appId, dialpadEventId);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("id")).isEqualTo(body.get("id").asText());
        assertThat(rows.get(0).get("event_type")).isEqualTo(eventType);
        assertThat(rows.get(0).get("same_payload")).isEqualTo(true);
    }
}
