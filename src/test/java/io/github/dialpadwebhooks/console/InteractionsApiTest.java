package io.github.dialpadwebhooks.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /interactions: the interaction of any of its legs, and the interactions an agent answered on a day. */
class InteractionsApiTest {

    static final long ROOT = 9_007_199_254_740_993L; // above 2^53: ids must come back exactly (as strings)
    static final long T = 1_731_700_000_000L;        // 2024-11-15T19:46:40Z

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20");

    @BeforeAll
    static void aCallCentreCallAndADirectCall() {
        TestDatabase.get().truncateAll();
        // a call-centre call: the entry leg, a leg agent 5001 missed, a leg agent 5002 answered
        post(leg(ROOT, 0, "hangup", T + 400_000).set("date_ended", T + 400_000));
        post(leg(ROOT, 1, "missed", T + 20_000).set("date_ended", T + 20_000));
        post(leg(ROOT, 2, "hangup", T + 325_000).set("date_connected", T + 25_000).set("date_ended", T + 325_000)
                .set("talk_time", 300_000));
        // the next day, agent 5002 answers a direct call
        post(Fixtures.call(777L).state("hangup").at(T + 86_400_000).set("date_started", T + 86_400_000)
                .set("date_connected", T + 86_405_000).set("date_ended", T + 86_500_000)
                .set("target", Map.of("id", 5002, "name", "Agent 5002", "type", "user")));
        Events.awaitAllProcessed();
    }

    @Test
    void should_find_the_interaction_of_any_of_its_legs_with_every_leg() {
        for (int leg = 0; leg < 3; leg++) {
            JsonNode body = json(get("/interactions?call_id=" + (ROOT + leg), 200));
            JsonNode interaction = body.get("interaction");
            assertThat(interaction.get("interaction_id").asText()).isEqualTo(Long.toString(ROOT));
            assertThat(interaction.get("legs")).extracting(JsonNode::asText)
                    .containsExactly(Long.toString(ROOT), Long.toString(ROOT + 1), Long.toString(ROOT + 2));
            assertThat(interaction.get("outcome").asText()).isEqualTo("answered");
            assertThat(interaction.get("answered_by_agent_id").asText()).isEqualTo("5002");
            assertThat(interaction.get("talk_time_ms").asDouble()).isEqualTo(300_000.0);
            assertThat(body.get("calls")).hasSize(3);
            assertThat(body.get("calls").get(0).get("dialpad_call_id").asText()).isEqualTo(Long.toString(ROOT));
        }
    }

    @Test
    void should_list_the_interactions_an_agent_answered_on_a_day() {
        JsonNode day = json(get("/interactions?agent_id=5002&day=2024-11-15", 200)).get("items");
        assertThat(day).hasSize(1);
        assertThat(day.get(0).get("interaction_id").asText()).isEqualTo(Long.toString(ROOT));

        JsonNode nextDay = json(get("/interactions?agent_id=5002&day=2024-11-16", 200)).get("items");
        assertThat(nextDay).extracting(i -> i.get("interaction_id").asText()).containsExactly("777");

        JsonNode both = json(get("/interactions?agent_id=5002&from=2024-11-15T00:00:00Z&to=2024-11-17T00:00:00Z", 200))
                .get("items");
        assertThat(both).extracting(i -> i.get("interaction_id").asText()).containsExactly("777", Long.toString(ROOT));
        assertThat(json(get("/interactions?agent_id=5002&limit=1", 200)).get("items")).hasSize(1);
        assertThat(json(get("/interactions?agent_id=5001&day=2024-11-15", 200)).get("items"))
                .as("5001 missed its leg: it answered nothing").isEmpty();
    }

    @Test
    void should_answer_404_for_an_unknown_leg_and_400_for_a_malformed_query() {
        assertThat(get("/interactions?call_id=12345", 404).body()).contains("not_found");
        assertThat(get("/interactions", 400).body()).contains("call_id");
        get("/interactions?call_id=abc", 400);
        assertThat(get("/interactions?agent_id=5002&day=yesterday", 400).body()).contains("YYYY-MM-DD");
        get("/interactions?agent_id=5002&day=2024-13-45", 400);
        get("/interactions?agent_id=5002&from=soon", 400);
    }

    private static Fixtures leg(long root, int leg, String state, long at) {
        Fixtures event = Fixtures.call(root + leg).state(state).at(at).numbers("+15550100", "+15550999")
                .set("date_started", T)
                .set("target", Map.of("id", leg == 0 ? 9000 : 5000 + leg, "name", "t" + leg,
                        "type", leg == 0 ? "callcenter" : "user"));
        return leg == 0 ? event : event.set("entry_point_call_id", root).set("master_call_id", root);
    }

    private static void post(Fixtures event) {
        assertThat(app.post("/webhooks/dialpad", event.json()).statusCode()).isEqualTo(202);
    }

    private static HttpResponse<String> get(String path, int status) {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri(path)).GET());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        return response;
    }
}
