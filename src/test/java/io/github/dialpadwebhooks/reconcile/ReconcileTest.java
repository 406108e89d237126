package io.github.dialpadwebhooks.reconcile;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.DialpadApiStub;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never miss a call: calls Dialpad's API lists that never arrived as webhooks are stored and projected by
 * POST /reconcile, against a stub of Dialpad's API (paging, 429 with Retry-After, 5xx, a run cut off mid-way).
 */
class ReconcileTest {

    static final DialpadApiStub dialpad = DialpadApiStub.start();

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20")
            .and("dialpad.api.url", dialpad.url())
            .and("dialpad.api-key", DialpadApiStub.KEY)
            .and("dialpad.api.first-backoff-ms", "20")
            .and("dialpad.api.max-attempts", "3")
            .and("reconcile.first-run-delay-seconds", "86400");

    static final long NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
    static final String SINCE = Instant.ofEpochMilli(NOW - 3_600_000).toString();

    @AfterAll
    static void stopStub() {
        dialpad.close();
    }

    @BeforeEach
    void emptyDatabaseAndDialpad() {
        TestDatabase.get().truncateAll();
        dialpad.reset();
    }

    @Test
    void should_store_and_project_the_calls_that_never_arrived_and_add_nothing_the_second_time() {
        for (int i = 0; i < 40; i++) {
            dialpad.addCall(1000 + i, NOW - 1_800_000 + i * 1000, NOW - 1_700_000 + i * 1000);
        }
        // the receiver was up for the first 10 calls only
        for (int i = 0; i < 10; i++) {
            postHangup(1000 + i, NOW - 1_800_000 + i * 1000, NOW - 1_700_000 + i * 1000);
        }
        Events.awaitAllProcessed();

        JsonNode first = reconcile("since=" + SINCE, 200);
        assertThat(first.get("status").asText()).isEqualTo("completed");
        assertThat(first.get("calls_examined").asInt()).isEqualTo(40);
        assertThat(first.get("calls_without_webhook").asInt()).isEqualTo(30);
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(40);
        assertThat(Sql.count("SELECT count(*) FROM calls WHERE status = 'ended' AND ended_at IS NOT NULL "
                + "AND agent_id IS NOT NULL")).isEqualTo(40);

        long events = Sql.count("SELECT count(*) FROM webhook_events");
        JsonNode second = reconcile("since=" + SINCE, 200);
        assertThat(second.get("calls_examined").asInt()).isEqualTo(40);
        assertThat(second.get("calls_stored").asInt()).isZero();
        assertThat(second.get("calls_without_webhook").asInt()).isZero();
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(events);
        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(40);

        JsonNode stats = json(get("/stats"));
        assertThat(stats.at("/reconcile/enabled").asBoolean()).isTrue();
        assertThat(stats.at("/reconcile/apps/default/last_run/status").asText()).isEqualTo("completed");
        assertThat(stats.at("/reconcile/apps/default/watermark").isNull()).isFalse();
        String metrics = get("/observe/metrics").body();
        assertThat(metrics).contains("dialpad_reconcile_calls_without_webhook_total 30.0");
        assertThat(metrics).doesNotContain(DialpadApiStub.KEY);
        assertThat(stats.toString()).doesNotContain(DialpadApiStub.KEY);
    }

    @Test
    void should_merge_a_call_seen_by_webhook_and_by_the_api_into_one_row_whatever_came_first() {
        // 2001: the API first, then the webhook; 2002: the webhook first, then the API
        dialpad.addCall(2001, NOW - 600_000, NOW - 500_000);
        dialpad.addCall(2002, NOW - 400_000, NOW - 300_000);
        postHangup(2002, NOW - 400_000, NOW - 300_000);
        Events.awaitAllProcessed();
        JsonNode run = reconcile("since=" + SINCE, 200);
        assertThat(run.get("calls_without_webhook").asInt()).isEqualTo(1);
        Events.awaitAllProcessed();
        postHangup(2001, NOW - 600_000, NOW - 500_000);
        Events.awaitAllProcessed();

        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(2);
        for (long id : List.of(2001L, 2002L)) {
            Map<String, Object> row = Sql.rows("SELECT status, started_at, ended_at, agent_id FROM calls "
                    + "WHERE dialpad_call_id = ?", id).get(0);
            assertThat(row.get("status")).isEqualTo("ended");
            assertThat(((java.time.OffsetDateTime) row.get("ended_at")).toInstant().toEpochMilli())
                    .isEqualTo(id == 2001 ? NOW - 500_000 : NOW - 300_000);
            assertThat(row.get("agent_id")).isNotNull();
        }
        assertThat(Sql.count("SELECT count(*) FROM call_interactions")).isEqualTo(2);
    }

    @Test
    void should_page_and_survive_rate_limits_and_server_errors() {
        dialpad.pageSize(7);
        for (int i = 0; i < 20; i++) {
            dialpad.addCall(3000 + i, NOW - 900_000 + i * 1000, NOW - 800_000 + i * 1000);
        }
        dialpad.failNext("/api/v2/call", 429, 1, "1");
        dialpad.failNext("/api/v2/call", 503, 1, null);

        JsonNode run = reconcile("since=" + SINCE, 200);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("calls_examined").asInt()).isEqualTo(20);
        assertThat(run.get("calls_without_webhook").asInt()).isEqualTo(20);
        assertThat(run.get("api_errors").asInt()).isEqualTo(2);
        List<String> callRequests = dialpad.requests().stream().filter(r -> r.startsWith("GET /api/v2/call?")).toList();
        // the 429, the 503, then 3 pages (7 + 7 + 6)
        assertThat(callRequests).hasSize(5);
        assertThat(callRequests.get(4)).contains("cursor=");
        assertThat(callRequests.get(0)).contains("started_after=" + Instant.parse(SINCE).toEpochMilli());
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(20);
    }

    @Test
    void should_resume_a_run_cut_off_mid_way_from_the_page_it_had_reached() {
        dialpad.pageSize(5);
        for (int i = 0; i < 15; i++) {
            dialpad.addCall(4000 + i, NOW - 900_000 + i * 1000, NOW - 800_000 + i * 1000);
        }
        dialpad.failCallPagesFrom(2);
        HttpResponse<String> failed = post("/reconcile?since=" + SINCE);
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
        assertThat(failed.body()).contains("dialpad_api_failed").doesNotContain(DialpadApiStub.KEY);
        assertThat(Sql.count("SELECT count(*) FROM reconcile_runs WHERE status = 'failed' AND cursor IS NOT NULL "
                + "AND calls_examined = 5")).isEqualTo(1);

        dialpad.heal();
        int before = dialpad.requests().size();
        JsonNode resumed = reconcile("", 200);
        assertThat(resumed.get("status").asText()).isEqualTo("completed");
        assertThat(resumed.get("calls_examined").asInt()).as("5 before the cut, 10 after").isEqualTo(15);
        List<String> after = dialpad.requests().subList(before, dialpad.requests().size()).stream()
                .filter(r -> r.startsWith("GET /api/v2/call?")).toList();
        assertThat(after).hasSize(2);
        assertThat(after.get(0)).as("resumed at the second page, not from the start").contains("cursor=");
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(15);
    }

    @Test
    void should_fill_contacts_from_the_api_once() {
        dialpad.addContact("k1", "Ada");
        dialpad.addContact("k2", "Grace");
        JsonNode run = reconcile("since=" + SINCE, 200);
        assertThat(run.get("contacts_examined").asInt()).isEqualTo(2);
        assertThat(run.get("contacts_stored").asInt()).isEqualTo(2);
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM contacts WHERE deleted_at IS NULL")).isEqualTo(2);
        assertThat(reconcile("since=" + SINCE, 200).get("contacts_stored").asInt()).isZero();
    }

    @Test
    void should_refuse_a_malformed_time_and_an_app_without_a_key() {
        assertThat(post("/reconcile?since=yesterday").statusCode()).isEqualTo(400);
        HttpResponse<String> noKey = post("/reconcile?app_id=sales");
        assertThat(noKey.statusCode()).isEqualTo(409);
        assertThat(noKey.body()).contains("not_configured");
        assertThat(Sql.count("SELECT count(*) FROM reconcile_runs")).isZero();
    }

    private static void postHangup(long callId, long started, long ended) {
        String body = Fixtures.call(callId).state("hangup").at(ended).set("date_started", started)
                .set("date_connected", started + 5_000).set("date_ended", ended)
                .set("target", Map.of("id", 5001, "name", "Agent", "type", "user")).json();
        assertThat(app.post("/webhooks/dialpad", body).statusCode()).isEqualTo(202);
    }

    private static JsonNode reconcile(String query, int status) {
        HttpResponse<String> response = post("/reconcile" + (query.isEmpty() ? "" : "?" + query));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response);
    }

    private static HttpResponse<String> post(String path) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> get(String path) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path)).GET());
    }
}
