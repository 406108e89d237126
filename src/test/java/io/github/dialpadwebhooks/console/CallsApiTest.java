package io.github.dialpadwebhooks.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.failures.PoisonTrigger;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /calls (newest, search by call id or number), GET /calls/{id} (row + events in order, recordings, insights,
 * interaction), GET /contacts, GET /agents, GET /stats/history.
 */
class CallsApiTest {

    static final String TOKEN = "calls-api-token-of-24-characters";
    static final long BIG = 9_007_199_254_740_993L; // 2^53 + 1: a double would print ...992

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN)
            .and("processor.poll-delay-ms", "20")
            .and("metrics.refresh-ms", "200");

    @RegisterExtension
    static PoisonTrigger poisonTrigger = PoisonTrigger.refusing();

    @BeforeEach
    void setUp() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_find_a_call_by_id_or_number_and_show_the_events_that_built_it_in_event_order() {
        // delivered out of order: hangup first, then ringing, then connected
        post(call(BIG, "hangup", 3_000, "+14155550123"));
        post(call(BIG, "ringing", 1_000, "+14155550123"));
        post(call(BIG, "connected", 2_000, "+14155550123"));
        post(call(42L, "ringing", 5_000, "+442071234567"));
        Events.awaitAllProcessed();

        JsonNode newest = json(admin("/calls"));
        assertThat(newest.get("items")).hasSize(2);
        assertThat(json(admin("/calls?limit=1")).get("items")).hasSize(1);

        JsonNode byId = json(admin("/calls?q=" + BIG)).get("items");
        assertThat(byId).hasSize(1);
        assertThat(byId.get(0).get("dialpad_call_id").isTextual()).as("int64 as a string").isTrue();
        assertThat(byId.get(0).get("dialpad_call_id").asText()).isEqualTo(Long.toString(BIG));
        for (String number : new String[] {"%2B14155550123", "14155550123", "4155550123", "(415)%20555-0123"}) {
            assertThat(json(admin("/calls?q=" + number)).get("items")).as(number).hasSize(1);
        }
        assertThat(json(admin("/calls?q=%2B442071234567")).get("items").get(0).get("dialpad_call_id").asText())
                .isEqualTo("42");
        assertThat(json(admin("/calls?q=5550000")).get("items")).isEmpty();
        assertThat(json(admin("/calls?q=99999999999999999999")).get("items")).as("beyond int64: no match, no error")
                .isEmpty();

        JsonNode detail = json(admin("/calls/" + BIG));
        assertThat(detail.get("call").get("status").asText()).isEqualTo("ended");
        assertThat(detail.get("events")).extracting(e -> e.get("state").asText())
                .containsExactly("ringing", "connected", "hangup");
        JsonNode first = detail.get("events").get(0);
        assertThat(first.get("outcome").asText()).isEqualTo("processed");
        assertThat(first.get("payload_text").asText()).contains("\"call_id\": " + BIG);

        assertThat(admin("/calls/123").statusCode()).isEqualTo(404);
        assertThat(admin("/calls/abc").statusCode()).isEqualTo(400);
        assertThat(admin("/calls?limit=x").statusCode()).isEqualTo(400);
    }

    @Test
    void should_show_the_events_of_a_call_that_has_no_row_yet() {
        long poison = 7_800_000_000_000_001L;
        poisonTrigger.refuse(poison);
        Events.insert("call.ring", "call:" + poison + ":ringing:1000", call(poison, "ringing", 1_000, "+1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode events = json(admin("/calls/" + poison)).get("events");
            return events.size() == 1 && events.get(0).get("last_error").asText().contains(PoisonTrigger.MESSAGE);
        });
        assertThat(json(admin("/calls/" + poison)).get("call").isNull()).isTrue();
    }

    @Test
    void should_find_contacts_by_name_company_or_id() {
        post(Samples.text("contact-created.json"));
        post(Samples.text("agent-status.json"));
        Events.awaitAllProcessed();

        JsonNode found = json(admin("/contacts?q=Example")).get("items");
        assertThat(found).hasSize(1);
        JsonNode contact = found.get(0);
        assertThat(contact.get("dialpad_contact_id").isTextual()).as("the contact id as a string").isTrue();
        assertThat(contact.get("dialpad_contact_id").asText()).isEqualTo("5908860123456789");
        assertThat(contact.get("display_name").asText()).isEqualTo("Sample Test");
        assertThat(contact.get("company_name").asText()).isEqualTo("Example Ltd");
        assertThat(contact.get("primary_phone").asText()).isEqualTo("+16043111111");
        assertThat(contact.get("primary_email").asText()).isEqualTo("sample.test@example.com");
        assertThat(contact.get("deleted_at").isNull()).isTrue();

        assertThat(json(admin("/contacts?q=nomatch")).get("items")).isEmpty();
        assertThat(json(admin("/contacts?q=sample%20TEST")).get("items")).as("case-insensitive").hasSize(1);
        assertThat(json(admin("/contacts?q=5908860123456789")).get("items")).as("by id").hasSize(1);
        assertThat(json(admin("/contacts")).get("items")).as("no q: the most recently updated").hasSize(1);
        assertThat(json(admin("/contacts?limit=0")).get("items")).isEmpty();
        assertThat(admin("/contacts?limit=x").statusCode()).isEqualTo(400);
    }

    @Test
    void should_list_agents_with_their_status_and_its_history() {
        post(Samples.text("contact-created.json"));
        post(Samples.text("agent-status.json"));
        Events.awaitAllProcessed();

        JsonNode items = json(admin("/agents")).get("items");
        assertThat(items).hasSize(1);
        JsonNode agent = items.get(0).get("agent");
        assertThat(agent.get("dialpad_agent_id").isTextual()).as("int64 as a string").isTrue();
        assertThat(agent.get("dialpad_agent_id").asText()).isEqualTo("5991398486736896");
        assertThat(agent.get("name").asText()).isEqualTo("Agent Example");
        assertThat(agent.get("email").asText()).isEqualTo("agent@example.com");
        assertThat(agent.get("on_duty_status").asText()).isEqualTo("wrapup");
        assertThat(agent.get("on_duty_status_reason").asText()).isEqualTo("after call work");
        assertThat(agent.get("availability_status").asText()).isEqualTo("open");
        JsonNode history = items.get(0).get("history");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("on_duty_status").asText()).isEqualTo("wrapup");
        assertThat(history.get(0).get("status_at").asText()).startsWith("2024-11-15T01:10:00.456");

        assertThat(json(admin("/agents?q=agent%40example")).get("items")).as("by e-mail").hasSize(1);
        assertThat(json(admin("/agents?q=5991398486736896")).get("items")).as("by id").hasSize(1);
        assertThat(json(admin("/agents?q=nomatch")).get("items")).isEmpty();
    }

    @Test
    void should_show_a_calls_agent_contact_recordings_insights_and_interaction() {
        post(Samples.text("call-recording.json"));
        post(Samples.text("call-recap-summary.json"));
        Events.awaitAllProcessed();

        JsonNode detail = json(admin("/calls/6421977457180672"));
        JsonNode call = detail.get("call");
        assertThat(call.get("agent_name").asText()).isEqualTo("Agent Example");
        assertThat(call.get("agent_id").isTextual()).as("int64 as a string").isTrue();
        assertThat(call.get("agent_id").asText()).isEqualTo("5991398486736896");
        assertThat(call.get("contact_name").asText()).isEqualTo("Alameda, CA");
        assertThat(call.get("talk_time_ms").asLong()).isEqualTo(55_000);

        JsonNode recordings = detail.get("recordings");
        assertThat(recordings).hasSize(1);
        assertThat(recordings.get(0).get("recording_id").asText()).isEqualTo("rec_6421977457180672_1");
        assertThat(recordings.get(0).get("url").asText()).isEqualTo("https://dialpad.com/r/6421977457180672/1");
        assertThat(recordings.get(0).get("recording_type").asText()).isEqualTo("callrecording");

        assertThat(detail.get("insights").get("recap_summary").asText()).startsWith("Customer asked");

        JsonNode interaction = detail.get("interaction");
        assertThat(interaction.get("interaction_id").asText()).isEqualTo("6421977457180672");
        assertThat(interaction.get("legs")).hasSize(1);
        assertThat(interaction.get("legs").get(0).get("dialpad_call_id").asText()).isEqualTo("6421977457180672");
        assertThat(interaction.get("legs").get(0).get("agent_name").asText()).isEqualTo("Agent Example");
    }

    @Test
    void should_keep_recent_samples_of_the_pipeline_for_the_chart() {
        post(call(77L, "ringing", 1_000, "+1"));
        Events.awaitAllProcessed();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode samples = json(admin("/stats/history")).get("samples");
            return samples.size() >= 2 && samples.get(samples.size() - 1).get("finished").asLong() == 1;
        });
        JsonNode history = json(admin("/stats/history"));
        assertThat(history.get("interval_ms").asLong()).isEqualTo(200);
        assertThat(history.get("window_seconds").asLong()).isEqualTo(900);
        JsonNode last = history.get("samples").get(history.get("samples").size() - 1);
        assertThat(last.get("processed").asLong()).isEqualTo(1);
        assertThat(last.get("unprocessed").asLong()).isZero();
        assertThat(last.has("lag_seconds")).isTrue();
        assertThat(last.get("at").asText()).endsWith("Z");
    }

    private static String call(long id, String state, long timestamp, String external) {
        return Fixtures.call(id).state(state).at(1_764_000_000_000L + timestamp).numbers(external, "+15550002")
                .set("date_started", 1_764_000_000_000L).json();
    }

    private static void post(String body) {
        assertThat(app.post("/webhooks/dialpad", body).statusCode()).isEqualTo(202);
    }

    private static HttpResponse<String> admin(String path) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path)).header("Authorization", "Bearer " + TOKEN)
                .GET());
    }
}
