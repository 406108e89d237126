package io.github.dialpadwebhooks.projections;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole Dialpad model through the real endpoint and routes: every family's sample lands in its table, and a
 * call-centre call (three legs, a recording, a recap, a leg missed and then sent to voicemail), signed, duplicated and
 * posted in random orders, always ends as the same documented rows.
 */
class DialpadModelTest {

    static final String SECRET = "dialpad-model-secret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET)
            .and("processor.poll-delay-ms", "20");

    @BeforeEach
    void clean() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_project_every_familys_sample() {
        for (String sample : List.of("contact-created.json", "agent-status.json", "change-log.json",
                "call-recording.json", "call-recap-summary.json", "call-hangup.json", "sms-inbound.json")) {
            assertThat(post(Samples.text(sample))).as(sample).isEqualTo(202);
        }
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome <> 'processed'")).isZero();

        Map<String, Object> contact = Sql.rows("SELECT dialpad_contact_id, contact_type, first_name, last_name, "
                + "display_name, company_name, job_title, phones::text AS phones, primary_phone, emails::text AS emails, "
                + "primary_email, extension, deleted_at FROM contacts").get(0);
        assertThat(contact).containsEntry("dialpad_contact_id", "5908860123456789").containsEntry("contact_type", "shared")
                .containsEntry("first_name", "Sample").containsEntry("last_name", "Test")
                .containsEntry("display_name", "Sample Test").containsEntry("company_name", "Example Ltd")
                .containsEntry("job_title", "Buyer").containsEntry("phones", "{+16043111111,+16043111112}")
                .containsEntry("primary_phone", "+16043111111").containsEntry("emails", "{sample.test@example.com}")
                .containsEntry("primary_email", "sample.test@example.com").containsEntry("extension", "12345")
                .containsEntry("deleted_at", null);

        Map<String, Object> agent = Sql.rows("SELECT dialpad_agent_id, name, email, on_duty_status, "
                + "on_duty_status_reason, availability_status, call_center_ids::text AS centres, status_at::text AS at "
                + "FROM agents").get(0);
        assertThat(agent).containsEntry("dialpad_agent_id", 5991398486736896L).containsEntry("name", "Agent Example")
                .containsEntry("email", "agent@example.com").containsEntry("on_duty_status", "wrapup")
                .containsEntry("on_duty_status_reason", "after call work").containsEntry("availability_status", "open")
                .containsEntry("centres", "{5263541234567890}").containsEntry("at", "2024-11-15 01:10:00.456+00");
        assertThat(Sql.count("SELECT count(*) FROM agent_status_history WHERE on_duty_status = 'wrapup' "
                + "AND status_at = to_timestamp(1731633000.456)")).isEqualTo(1);

        Map<String, Object> change = Sql.rows("SELECT dialpad_event_id, action, target_type, target_id, note, "
                + "changed_by ->> 'name' AS by, additional_data ->> 'call_center_id' AS centre, logged_at::text AS at "
                + "FROM change_log").get(0);
        assertThat(change).containsEntry("dialpad_event_id", "change_log:user:5991398486736896:operator_removed:"
                + "1731634000789").containsEntry("action", "operator_removed").containsEntry("target_type", "user")
                .containsEntry("target_id", "5991398486736896").containsEntry("by", "Admin Example")
                .containsEntry("note", "Operator removed from call center").containsEntry("centre", "5263541234567890")
                .containsEntry("at", "2024-11-15 01:26:40.789+00");

        Map<String, Object> call = Sql.rows("SELECT agent_id, agent_name, agent_email, agent_type, contact_id, "
                + "contact_name, contact_phone, talk_time_ms, hold_time_ms, total_duration_ms, was_recorded, "
                + "is_transferred, labels::text AS labels, mos_score, recording_url FROM calls "
                + "WHERE dialpad_call_id = 6421977457180672").get(0);
        assertThat(call).containsEntry("agent_id", 5991398486736896L).containsEntry("agent_name", "Agent Example")
                .containsEntry("agent_type", "user").containsEntry("contact_id", "6131436978913280")
                .containsEntry("contact_name", "Alameda, CA").containsEntry("talk_time_ms", 55000.0)
                .containsEntry("hold_time_ms", 0.0).containsEntry("total_duration_ms", 60596.0)
                .containsEntry("was_recorded", true).containsEntry("labels", "{sales}").containsEntry("mos_score", 4.38)
                .containsEntry("recording_url", "https://dialpad.com/r/6421977457180672/1");
        assertThat(call.get("is_transferred")).as("the recording event is the latest to carry it").isEqualTo(false);
        assertThat(Sql.rows("SELECT recording_type, recording_id, url, duration_ms, started_at::text AS at "
                + "FROM call_recordings").get(0)).containsEntry("recording_type", "callrecording")
                .containsEntry("recording_id", "rec_6421977457180672_1")
                .containsEntry("url", "https://dialpad.com/r/6421977457180672/1").containsEntry("duration_ms", 55000.0)
                .containsEntry("at", "2024-11-14 22:40:45+00");
        assertThat(Sql.value("SELECT recap_summary FROM call_insights WHERE dialpad_call_id = 6421977457180672"))
                .isEqualTo("Customer asked for a quote for 20 seats; agent will send pricing by Friday.");
        assertThat(Sql.rows("SELECT interaction_id, legs::text AS legs, outcome, answered FROM call_interactions"))
                .extracting(r -> r.get("interaction_id") + " " + r.get("legs") + " " + r.get("outcome"))
                .containsExactly("6421977457180672 {6421977457180672} answered");
    }

    @Test
    void should_end_a_call_centre_call_as_the_same_rows_whatever_the_order_of_its_events() {
        Random random = new Random(Long.getLong("property.seed", 20261201L));
        List<String> expected = null;
        for (int round = 0; round < 4; round++) {
            long base = 7_680_000_000_000_000L + round * 100L;
            List<String> events = callCentreCall(base);
            List<String> shuffled = new ArrayList<>(events);
            shuffled.add(events.get(random.nextInt(events.size())));
            shuffled.add(events.get(random.nextInt(events.size())));
            Collections.shuffle(shuffled, random);
            for (String event : shuffled) {
                assertThat(post(event)).isBetween(200, 202);
            }
            Events.awaitAllProcessed();
            List<String> rows = rows(base);
            if (expected == null) {
                expected = rows;
                // the documented rows
                assertThat(rows).containsExactly(
                        "call 0 ended agent=0 contact=+15550100 talk=null",
                        "call 1 ended agent=5001 contact=+15550100 talk=null",
                        "call 2 ended agent=5002 contact=+15550100 talk=300000.0",
                        "call 3 ended agent=5003 contact=+15550100 talk=null",
                        "interaction 0 legs=0,1,2,3 answered outcome=answered by=5002 talk=300000.0",
                        "recording 2 callrecording rec-2",
                        "recording 3 voicemail vm-3",
                        "insights 2 summary=The customer wants 20 seats.");
            } else {
                assertThat(rows).as("round %d: %s", round, shuffled).isEqualTo(expected);
            }
        }
    }

    /**
     * A customer call into a call centre: the entry-point leg (0), an agent leg missed (1), an agent leg answered,
     * recorded and recapped (2), and an agent leg missed and then sent to voicemail (3). Call ids base + leg.
     */
    private static List<String> callCentreCall(long base) {
        long t = 1_731_700_000_000L;
        List<String> events = new ArrayList<>();
        events.add(leg(base, 0, 0, "queued", t).json());
        events.add(leg(base, 0, 0, "hangup", t + 400_000).set("date_ended", t + 400_000).json());
        events.add(leg(base, 1, 5001, "ringing", t + 1_000).json());
        events.add(leg(base, 1, 5001, "missed", t + 20_000).set("date_ended", t + 20_000).json());
        events.add(leg(base, 2, 5002, "ringing", t + 21_000).json());
        events.add(leg(base, 2, 5002, "connected", t + 25_000).set("date_connected", t + 25_000).json());
        events.add(leg(base, 2, 5002, "hangup", t + 325_000).set("date_connected", t + 25_000)
                .set("date_ended", t + 325_000).set("talk_time", 300_000).set("duration", 300_000.0).json());
        events.add(leg(base, 2, 5002, "recording", t + 326_000).set("date_connected", t + 25_000)
                .set("date_ended", t + 325_000).setJson("recording_details", "[{\"id\":\"rec-2\",\"url\":"
                        + "\"https://dialpad.example/rec-2\",\"recording_type\":\"callrecording\",\"duration\":300000,"
                        + "\"start_time\":" + (t + 25_000) + "}]").json());
        events.add(leg(base, 2, 5002, "recap_summary", t + 400_500).set("recap_summary", "The customer wants 20 seats.")
                .json());
        events.add(leg(base, 3, 5003, "ringing", t + 330_000).json());
        events.add(leg(base, 3, 5003, "missed", t + 350_000).set("date_ended", t + 350_000).json());
        events.add(leg(base, 3, 5003, "voicemail_uploaded", t + 390_000).set("date_ended", t + 350_000)
                .set("voicemail_link", "https://dialpad.example/vm-3").set("voicemail_recording_id", "vm-3").json());
        return events;
    }

    private static Fixtures leg(long base, int leg, long agentId, String state, long at) {
        Fixtures event = Fixtures.call(base + leg).state(state).at(at).numbers("+15550100", "+15550999")
                .set("date_started", 1_731_700_000_000L)
                .set("contact", Map.of("id", "c-1", "name", "Customer", "phone", "+15550100", "type", "local"))
                .set("target", Map.of("id", leg == 0 ? 9000 : agentId, "name", leg == 0 ? "Support" : "Agent " + agentId,
                        "type", leg == 0 ? "callcenter" : "user"));
        return leg == 0 ? event : event.set("entry_point_call_id", base).set("master_call_id", base);
    }

    private static List<String> rows(long base) {
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> c : Sql.rows("SELECT dialpad_call_id - ? AS leg, status, agent_id, contact_phone, "
                + "talk_time_ms FROM calls WHERE dialpad_call_id BETWEEN ? AND ? ORDER BY 1", base, base, base + 99)) {
            rows.add("call " + c.get("leg") + " " + c.get("status") + " agent=" + agentOf(c.get("agent_id"))
                    + " contact=" + c.get("contact_phone") + " talk=" + c.get("talk_time_ms"));
        }
        for (Map<String, Object> i : Sql.rows("SELECT interaction_id - ? AS id, (SELECT string_agg(CAST(l - ? AS "
                + "text), ',' ORDER BY l) FROM unnest(legs) l) AS legs, answered, outcome, answered_by_agent_id, "
                + "talk_time_ms FROM call_interactions WHERE interaction_id BETWEEN ? AND ?", base, base, base,
                base + 99)) {
            rows.add("interaction " + i.get("id") + " legs=" + i.get("legs") + " " + (Boolean.TRUE.equals(
                    i.get("answered")) ? "answered" : "not-answered") + " outcome=" + i.get("outcome") + " by="
                    + i.get("answered_by_agent_id") + " talk=" + i.get("talk_time_ms"));
        }
        for (Map<String, Object> r : Sql.rows("SELECT dialpad_call_id - ? AS leg, recording_type, recording_id "
                + "FROM call_recordings WHERE dialpad_call_id BETWEEN ? AND ? ORDER BY 1, 2", base, base, base + 99)) {
            rows.add("recording " + r.get("leg") + " " + r.get("recording_type") + " " + r.get("recording_id"));
        }
        for (Map<String, Object> r : Sql.rows("SELECT dialpad_call_id - ? AS leg, recap_summary FROM call_insights "
                + "WHERE dialpad_call_id BETWEEN ? AND ? ORDER BY 1", base, base, base + 99)) {
            rows.add("insights " + r.get("leg") + " summary=" + r.get("recap_summary"));
        }
        return rows;
    }

    private static String agentOf(Object id) {
        return id == null ? "null" : id.equals(9000L) ? "0" : id.toString();
    }

    private static int post(String event) {
        return app.post("/webhooks/dialpad", DialpadSigner.sign(event, SECRET)).statusCode();
    }
}
