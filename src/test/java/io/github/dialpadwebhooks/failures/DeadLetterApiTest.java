package io.github.dialpadwebhooks.failures;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter API on the management port, behind ADMIN_TOKEN: inspect, replay one, replay in bulk; and it is
 * refused without the token and absent from the webhook port.
 */
class DeadLetterApiTest {

    static final String TOKEN = "test-admin-token-of-24-chars";
    static final long POISON_A = 7_600_000_000_000_001L;
    static final long POISON_B = 7_600_000_000_000_002L;
    static final long POISON_C = 7_600_000_000_000_003L;

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN)
            .and("processor.poll-delay-ms", "20")
            .and("processor.retry-delay-ms", "20")
            .and("processor.max-redeliveries", "1");

    @BeforeEach
    void setUp() {
        TestDatabase.get().truncateAll();
    }

    @RegisterExtension
    static PoisonTrigger poison = PoisonTrigger.refusing();

    @Test
    void should_refuse_admin_calls_without_the_bearer_token() {
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(app.managementUri("/dead-letters")).GET(),
                HttpRequest.newBuilder(app.managementUri("/dead-letters")).header("Authorization", "Bearer wrong").GET(),
                HttpRequest.newBuilder(app.managementUri("/dead-letters")).header("Authorization", TOKEN).GET(),
                HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                        .POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(app.managementUri("/dead-letters/00000000-0000-0000-0000-000000000000/replay"))
                        .POST(HttpRequest.BodyPublishers.noBody()))) {
            HttpResponse<String> response = app.send(request);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(admin("GET", "/dead-letters").statusCode()).isEqualTo(200);
    }

    @Test
    void should_not_serve_the_admin_api_on_the_webhook_port() {
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/dead-letters"))
                .header("Authorization", "Bearer " + TOKEN).GET()).statusCode()).isEqualTo(404);
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/dead-letters/replay?all=true"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void should_list_filter_page_and_show_dead_letters() {
        deadLetter(POISON_A, "call.ring", "ringing");
        deadLetter(POISON_B, "call.ring", "ringing");
        deadLetter(POISON_C, "call.ended", "hangup");

        JsonNode all = json(admin("GET", "/dead-letters"));
        assertThat(all.get("items")).hasSize(3);
        assertThat(json(admin("GET", "/dead-letters?event_type=call.ring")).get("items")).hasSize(2);
        JsonNode page = json(admin("GET", "/dead-letters?limit=2&offset=2"));
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(json(admin("GET", "/dead-letters?from=2100-01-01T00:00:00Z")).get("items")).isEmpty();
        assertThat(json(admin("GET", "/dead-letters?replayed=true")).get("items")).isEmpty();

        String id = all.get("items").get(0).get("id").asText();
        JsonNode one = json(admin("GET", "/dead-letters/" + id));
        assertThat(one.get("payload").get("call_id").asLong()).isIn(POISON_A, POISON_B, POISON_C);
        assertThat(one.get("error_message").asText()).contains(PoisonTrigger.MESSAGE);
        assertThat(one.get("attempts").asInt()).isEqualTo(2);
        assertThat(one.get("failed_at").asText()).isNotBlank();

        assertThat(admin("GET", "/dead-letters/00000000-0000-0000-0000-000000000000").statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/dead-letters/not-a-uuid").statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/dead-letters?limit=many").statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/dead-letters?from=not-a-time").statusCode()).isEqualTo(400);
    }

    @Test
    void should_replay_a_dead_letter_once_the_fault_is_gone_and_ignore_a_second_replay() {
        deadLetter(POISON_A, "call.ended", "hangup");
        String id = (String) Sql.value("SELECT id::text FROM webhook_dead_letters");
        poison.remove();

        HttpResponse<String> first = admin("POST", "/dead-letters/" + id + "/replay");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).get("requeued").asBoolean()).isTrue();
        Events.awaitAllProcessed();

        assertThat(Sql.value("SELECT status FROM calls WHERE dialpad_call_id = ?", POISON_A)).isEqualTo("ended");
        Map<String, Object> event = Sql.rows("SELECT outcome, attempts FROM webhook_events").get(0);
        assertThat(event.get("outcome")).isEqualTo("processed");
        assertThat(event.get("attempts")).as("a fresh attempt count").isEqualTo(1);
        Object replayedAt = Sql.value("SELECT replayed_at FROM webhook_dead_letters WHERE id = ?::uuid", id);
        assertThat(replayedAt).isNotNull();
        Object updatedAt = Sql.value("SELECT updated_at FROM calls");

        HttpResponse<String> second = admin("POST", "/dead-letters/" + id + "/replay");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).get("requeued").asBoolean()).isFalse();
        Events.awaitAllProcessed();
        assertThat(Sql.rows("SELECT outcome, attempts FROM webhook_events").get(0)).isEqualTo(event);
        assertThat(Sql.value("SELECT replayed_at FROM webhook_dead_letters WHERE id = ?::uuid", id))
                .isEqualTo(replayedAt);
        assertThat(Sql.value("SELECT updated_at FROM calls")).isEqualTo(updatedAt);
        assertThat(Sql.count("SELECT count(*) FROM webhook_dead_letters")).isEqualTo(1);
    }

    @Test
    void should_bulk_replay_exactly_the_dead_letters_of_one_type() {
        deadLetter(POISON_A, "call.ring", "ringing");
        deadLetter(POISON_B, "call.ring", "ringing");
        deadLetter(POISON_C, "call.ended", "hangup");
        poison.remove();

        assertThat(admin("POST", "/dead-letters/replay").statusCode()).as("a filter is required").isEqualTo(400);
        HttpResponse<String> response = admin("POST", "/dead-letters/replay?event_type=call.ring");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("requeued").asInt()).isEqualTo(2);
        Events.awaitAllProcessed();

        assertThat(Sql.rows("SELECT event_type, replayed_at IS NOT NULL AS replayed FROM webhook_dead_letters "
                + "ORDER BY event_type")).extracting(r -> r.get("event_type") + "=" + r.get("replayed"))
                .containsExactly("call.ended=false", "call.ring=true", "call.ring=true");
        assertThat(Sql.rows("SELECT dialpad_call_id FROM calls ORDER BY 1")).extracting(r -> r.get("dialpad_call_id"))
                .containsExactly(POISON_A, POISON_B);
        assertThat(json(admin("POST", "/dead-letters/replay?event_type=call.ring")).get("requeued").asInt()).isZero();
    }

    @Test
    void should_filter_by_error_text_and_count_the_matches() {
        deadLetter(POISON_A, "call.ring", "ringing");
        deadLetter(POISON_B, "call.ended", "hangup");
        Sql.execute("UPDATE webhook_dead_letters SET error_message = 'Timeout talking to CRM' "
                + "WHERE payload->>'call_id' = '" + POISON_B + "'");

        JsonNode crm = json(admin("GET", "/dead-letters?error=crm&limit=1"));
        assertThat(crm.get("total").asInt()).isEqualTo(1);
        assertThat(crm.get("items").get(0).get("event_type").asText()).isEqualTo("call.ended");
        assertThat(json(admin("GET", "/dead-letters?error=psqlexception")).get("total").asInt())
                .as("error_class is searched too").isEqualTo(2);
        assertThat(json(admin("GET", "/dead-letters?error=%25")).get("total").asInt())
                .as("% is text, not a wildcard").isZero();
        JsonNode firstPage = json(admin("GET", "/dead-letters?limit=1"));
        assertThat(firstPage.get("items")).hasSize(1);
        assertThat(firstPage.get("total").asInt()).as("total counts every match, not the page").isEqualTo(2);

        poison.remove();
        assertThat(json(admin("POST", "/dead-letters/replay?error=crm")).get("requeued").asInt()).isEqualTo(1);
        Events.awaitAllProcessed();
        assertThat(Sql.rows("SELECT dialpad_call_id FROM calls")).extracting(r -> r.get("dialpad_call_id"))
                .containsExactly(POISON_B);
    }

    @Test
    void should_replay_exactly_the_dead_letters_whose_ids_are_given() {
        deadLetter(POISON_A, "call.ring", "ringing");
        deadLetter(POISON_B, "call.ring", "ringing");
        deadLetter(POISON_C, "call.ring", "ringing");
        poison.remove();
        List<Object> ids = Sql.rows("SELECT id::text AS id FROM webhook_dead_letters WHERE payload->>'call_id' IN (?, ?)",
                Long.toString(POISON_A), Long.toString(POISON_C)).stream().map(r -> r.get("id")).toList();

        HttpResponse<String> response = adminJson("POST", "/dead-letters/replay",
                "{\"ids\": [\"" + ids.get(0) + "\", \"" + ids.get(1) + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("requeued").asInt()).isEqualTo(2);
        Events.awaitAllProcessed();
        assertThat(Sql.rows("SELECT dialpad_call_id FROM calls ORDER BY 1")).extracting(r -> r.get("dialpad_call_id"))
                .containsExactly(POISON_A, POISON_C);
        assertThat(json(adminJson("POST", "/dead-letters/replay", "{\"ids\": []}")).get("requeued").asInt())
                .as("an empty list replays nothing").isZero();
        assertThat(adminJson("POST", "/dead-letters/replay", "{\"ids\": [\"not-a-uuid\"]}").statusCode())
                .isEqualTo(400);
        assertThat(adminJson("POST", "/dead-letters/replay", "not json").statusCode()).isEqualTo(400);
        assertThat(Sql.count("SELECT count(*) FROM webhook_dead_letters WHERE replayed_at IS NULL")).isEqualTo(1);
    }

    private static HttpResponse<String> adminJson(String method, String path, String body) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Makes one event fail until it is dead-lettered (max-redeliveries = 1 here: two attempts). */
    private static void deadLetter(long callId, String eventType, String state) {
        poison.refuse(POISON_A, POISON_B, POISON_C);
        Events.insert(eventType, "dl:" + callId, Fixtures.call(callId).state(state).at(1_731_600_000_000L).json());
        Events.awaitAllProcessed(Duration.ofSeconds(20));
        assertThat(Sql.count("SELECT count(*) FROM webhook_dead_letters WHERE payload->>'call_id' = ?",
                Long.toString(callId))).isEqualTo(1);
    }

    private static HttpResponse<String> admin(String method, String path) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }
}
