package io.github.dialpadwebhooks.console;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's events explorer and SMS view: GET /events (filters, keyset paging), GET /events/{id} (payload,
 * processing history, dead letters; 404, 400), GET /messages; and GET /events/reprocess still the reprocess jobs.
 */
class EventsApiTest {

    static final long CALL = 9_007_199_254_740_993L;  // above 2^53
    static final long SMS = 9_100_000_000_000_000_777L;
    static final long T = 1_731_700_000_000L;
    static final int BULK = 205;                       // more than the largest page (200), stored in one commit
    static final String SCRIPT = "<script>window.__pwned = 1</script>";
    static final String TOKEN = "events-api-token-of-24-characters";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN).and("processor.poll-delay-ms", "20");

    @BeforeAll
    static void storedEvents() {
        TestDatabase.get().truncateAll();
        post(Fixtures.call(CALL).state("ringing").at(T).numbers("+14155550123", "+14155550999").json());
        post(Fixtures.call(CALL).state("hangup").at(T + 60_000).numbers("+14155550123", "+14155550999").json());
        post(Fixtures.sms(SMS).set("from_number", "+15105550001").set("to_number", List.of("+15105550002"))
                .set("text", SCRIPT).set("created_date", T).json());
        post(Fixtures.sms(42L).set("from_number", "+15105550003").set("to_number", List.of("+15105550004"))
                .set("created_date", T - 86_400_000L).json());
        post("{\"hello\":\"" + SCRIPT + "\"}");  // no handler: skipped
        List<Events.Event> bulk = new ArrayList<>();
        for (int i = 0; i < BULK; i++) {
            bulk.add(new Events.Event("bulk-app", "test.bulk", "bulk:" + i, "{\"n\": " + i + "}"));
        }
        Events.insert(bulk);
        // one Dialpad event id in two apps
        Events.insert(List.of(new Events.Event("twice-a", "test.twice", "twice:1", "{}"),
                new Events.Event("twice-b", "test.twice", "twice:1", "{}")));
        Events.awaitAllProcessed();
        // a dead-lettered event with a discarded and an open dead letter, and an event not claimable for an hour
        Sql.execute("INSERT INTO webhook_events (id, app_id, event_type, dialpad_event_id, payload, processed_at, "
                + "outcome, attempts, last_error) VALUES ('00000000-0000-4000-8000-00000000dead', 'default', "
                + "'call.ended', 'dead:1', '{\"call_id\": 1}', now(), 'dead_lettered', 3, 'boom')");
        Sql.execute("INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, "
                + "error_class, error_message, attempts, failed_at, replayed_at, discarded_at, discard_reason) VALUES "
                + "('00000000-0000-4000-8000-00000000dead', 'default', 'call.ended', 'dead:1', '{}', 'E', 'first', 3, "
                + "now() - interval '1 hour', now() - interval '30 minutes', now() - interval '30 minutes', "
                + "'known bad data'), ('00000000-0000-4000-8000-00000000dead', 'default', 'call.ended', 'dead:1', "
                + "'{}', 'E', 'second', 3, now(), NULL, NULL, NULL)");
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, available_at) "
                + "VALUES ('default', 'call.ring', 'later:1', '{\"call_id\": 2}', now() + interval '1 hour')");
    }

    @Test
    void should_filter_the_stored_events() {
        assertThat(items("/events?limit=200")).hasSize(200);
        assertThat(items("/events?limit=1000")).as("at most 200").hasSize(200);
        assertThat(items("/events")).as("50 by default").hasSize(50);

        JsonNode calls = items("/events?event_type=call.ring");
        assertThat(calls).extracting(e -> e.get("dialpad_event_id").asText())
                .containsExactly("later:1", "call:" + CALL + ":ringing:" + T);
        JsonNode byId = items("/events?dialpad_event_id=" + enc("call:" + CALL + ":hangup:" + (T + 60_000)));
        assertThat(byId).hasSize(1);
        JsonNode hangup = byId.get(0);
        assertThat(hangup.get("event_type").asText()).isEqualTo("call.ended");
        assertThat(hangup.get("outcome").asText()).isEqualTo("processed");
        assertThat(hangup.get("attempts").asInt()).isEqualTo(1);
        assertThat(hangup.get("priority").asInt()).isZero();
        assertThat(hangup.has("received_at") && hangup.has("processed_at") && hangup.has("last_error")).isTrue();
        assertThat(hangup.has("payload")).as("the list leaves the payload out").isFalse();

        assertThat(items("/events?dialpad_event_id=twice:1")).extracting(e -> e.get("app_id").asText())
                .as("one per app").containsExactlyInAnyOrder("twice-a", "twice-b");
        assertThat(items("/events?dialpad_event_id=twice:1&app_id=twice-b")).hasSize(1);
        assertThat(items("/events?dialpad_event_id=twice:1&limit=1")).hasSize(1);
        assertThat(items("/events?dialpad_event_id=dead:1&outcome=dead_lettered")).hasSize(1);
        assertThat(items("/events?dialpad_event_id=dead:1&outcome=processed")).isEmpty();
        assertThat(items("/events?dialpad_event_id=%20dead:1%20")).as("trimmed").hasSize(1);
        assertThat(items("/events?dialpad_event_id=nothing:1")).isEmpty();
        assertThat(items("/events?dialpad_event_id=%20&limit=2")).as("blank: any").hasSize(2);
        assertThat(items("/events?phone=" + enc("+14155550123"))).as("external_number").hasSize(2);
        assertThat(items("/events?phone=" + enc("+14155550999"))).as("internal_number").hasSize(2);
        assertThat(items("/events?phone=" + enc("+15105550001"))).as("an SMS's from_number").hasSize(1);
        assertThat(items("/events?phone=" + enc("+15105550002"))).as("in an SMS's to_number list").hasSize(1);
        assertThat(items("/events?phone=" + enc("+15105559999"))).isEmpty();

        assertThat(items("/events?outcome=unprocessed")).extracting(e -> e.get("dialpad_event_id").asText())
                .containsExactly("later:1");
        assertThat(items("/events?outcome=dead_lettered")).extracting(e -> e.get("dialpad_event_id").asText())
                .containsExactly("dead:1");
        assertThat(items("/events?outcome=skipped&app_id=default")).hasSize(1);
        assertThat(items("/events?app_id=bulk-app&limit=200&event_type=test.bulk&outcome=skipped")).hasSize(200);
        assertThat(items("/events?app_id=nobody")).isEmpty();
        assertThat(items("/events?event_type=sms.received&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"))
                .hasSize(2);
        assertThat(items("/events?from=2100-01-01T00:00:00Z")).isEmpty();
        assertThat(items("/events?to=2000-01-01T00:00:00Z")).isEmpty();
        assertThat(items("/events?event_type=&app_id=&phone=&outcome=&limit=3")).as("empty filters: any").hasSize(3);
    }

    @Test
    void should_page_newest_first_without_skipping_events_stored_in_one_commit() {
        long all = Sql.count("SELECT count(*) FROM webhook_events");
        Set<String> seen = new HashSet<>();
        List<String> received = new ArrayList<>();
        String query = "/events?limit=50";
        for (int page = 0; page < 20; page++) {
            JsonNode items = items(query);
            if (items.isEmpty()) {
                break;
            }
            for (JsonNode e : items) {
                assertThat(seen.add(e.get("id").asText())).as("no event twice").isTrue();
                received.add(e.get("received_at").asText());
            }
            JsonNode last = items.get(items.size() - 1);
            query = "/events?limit=50&before=" + enc(last.get("received_at").asText()) + "&before_id="
                    + last.get("id").asText();
        }
        assertThat((long) seen.size()).as("every stored event, once").isEqualTo(all);
        List<java.time.OffsetDateTime> times = received.stream().map(java.time.OffsetDateTime::parse).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("newest first").isBeforeOrEqualTo(times.get(i - 1));
        }

        // before alone: strictly older than that time
        JsonNode newest = items("/events?limit=1").get(0);
        JsonNode older = items("/events?limit=200&before=" + enc(newest.get("received_at").asText()));
        for (JsonNode e : older) {
            assertThat(java.time.OffsetDateTime.parse(e.get("received_at").asText()))
                    .isBefore(java.time.OffsetDateTime.parse(newest.get("received_at").asText()));
        }
    }

    @Test
    void should_show_one_event_with_its_payload_history_and_dead_letters() {
        String id = items("/events?dialpad_event_id=dead:1").get(0).get("id").asText();
        JsonNode event = json(get("/events/" + id, 200));
        assertThat(event.get("outcome").asText()).isEqualTo("dead_lettered");
        assertThat(event.get("attempts").asInt()).isEqualTo(3);
        assertThat(event.get("last_error").asText()).isEqualTo("boom");
        for (String key : new String[] {"claimed_by", "claimed_at", "available_at", "processed_at", "received_at"}) {
            assertThat(event.has(key)).as(key).isTrue();
        }
        assertThat(event.get("payload").get("call_id").asInt()).isEqualTo(1);
        JsonNode letters = event.get("dead_letters");
        assertThat(letters).extracting(d -> d.get("error_message").asText()).containsExactly("second", "first");
        assertThat(letters.get(0).get("discarded_at").isNull()).isTrue();
        assertThat(letters.get(1).get("discard_reason").asText()).isEqualTo("known bad data");
        assertThat(letters.get(1).get("replayed_at").isNull()).isFalse();

        String hangupId = items("/events?dialpad_event_id=" + enc("call:" + CALL + ":hangup:" + (T + 60_000)))
                .get(0).get("id").asText();
        JsonNode hangup = json(get("/events/" + hangupId, 200));
        assertThat(hangup.get("dead_letters")).isEmpty();
        assertThat(hangup.get("payload_text").asText()).contains("\"call_id\": " + CALL).contains("\n");
        assertThat(hangup.get("claimed_by").asText()).as("who processed it").isNotEmpty();
        assertThat(hangup.get("claimed_at").isNull()).isFalse();
    }

    @Test
    void should_return_a_script_in_a_payload_as_data() {
        String id = items("/events?outcome=skipped&app_id=default").get(0).get("id").asText();
        HttpResponse<String> response = get("/events/" + id, 200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode event = json(response);
        assertThat(event.get("payload").get("hello").asText()).isEqualTo(SCRIPT);
        assertThat(event.get("payload_text").asText()).contains(SCRIPT);
    }

    @Test
    void should_answer_404_for_an_unknown_event_and_400_for_malformed_parameters() {
        assertThat(get("/events/00000000-0000-4000-8000-000000000000", 404).body()).contains("not_found");
        get("/events/not-a-uuid", 400);
        get("/events?limit=x", 400);
        get("/events?limit=-1", 400);
        get("/events?from=soon", 400);
        get("/events?before=last%20week", 400);
        get("/events?before=2026-01-01T00:00:00Z&before_id=123", 400);
        get("/messages?limit=x", 400);
    }

    @Test
    void should_refuse_a_call_without_the_admin_token() {
        for (String path : new String[] {"/events", "/events/00000000-0000-4000-8000-00000000dead", "/messages"}) {
            HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri(path)).GET());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).as(path).doesNotContain("dead:1").contains("unauthorized");
        }
    }

    @Test
    void should_still_answer_the_reprocess_jobs_on_get_events_reprocess() {
        JsonNode jobs = json(get("/events/reprocess", 200));
        assertThat(jobs.has("items")).as("the jobs list, not an event: " + jobs).isTrue();
        assertThat(jobs.has("error")).isFalse();
    }

    @Test
    void should_list_and_search_messages() {
        JsonNode all = items("/messages");
        assertThat(all).extracting(m -> m.get("dialpad_message_id").asText())
                .as("newest first, ids as strings, exact").containsExactly(Long.toString(SMS), "42");
        JsonNode sms = all.get(0);
        assertThat(sms.get("dialpad_message_id").isTextual()).isTrue();
        assertThat(sms.get("text").asText()).isEqualTo(SCRIPT);
        assertThat(sms.get("from_number").asText()).isEqualTo("+15105550001");
        assertThat(sms.get("to_number")).extracting(JsonNode::asText).containsExactly("+15105550002");
        for (String key : new String[] {"direction", "status", "sent_at", "status_at", "mms", "contact_id",
                "target_id", "sender_id", "is_internal", "delivery_result", "created_at", "updated_at", "app_id"}) {
            assertThat(sms.has(key)).as(key).isTrue();
        }
        assertThat(sms.has("facts")).isFalse();
        assertThat(items("/messages?limit=1")).hasSize(1);
        assertThat(items("/messages?q=" + SMS)).hasSize(1);
        assertThat(items("/messages?q=" + enc("+15105550001"))).hasSize(1);
        assertThat(items("/messages?q=" + enc("(510) 555-0002"))).as("to_number, typed without +1").hasSize(1);
        assertThat(items("/messages?q=15105550004")).extracting(m -> m.get("dialpad_message_id").asText())
                .containsExactly("42");
        assertThat(items("/messages?q=nothing")).isEmpty();
        assertThat(items("/messages?q=99999999999999999999")).as("beyond int64: no match, no error").isEmpty();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode items(String path) {
        return json(get(path, 200)).get("items");
    }

    private static void post(String event) {
        assertThat(app.post("/webhooks/dialpad", event).statusCode()).isEqualTo(202);
    }

    private static HttpResponse<String> get(String path, int status) {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri(path))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        return response;
    }
}
