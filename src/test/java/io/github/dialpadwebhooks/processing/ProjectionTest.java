package io.github.dialpadwebhooks.processing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Each projection route: its events produce the documented calls / messages row. */
class ProjectionTest {

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20");

    static final long CALL = 6421977457180672L;

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    static OffsetDateTime ms(long epochMs) {
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
    }

    static ObjectNode call(String state, long eventTimestamp) {
        ObjectNode e = Samples.tree("call-ringing.json");
        e.put("call_id", CALL);
        e.put("state", state);
        e.put("event_timestamp", eventTimestamp);
        return e;
    }

    static void post(String eventType, ObjectNode event) {
        Events.insert(eventType, eventType + ":" + java.util.UUID.randomUUID(), Samples.json(event));
    }

    static Map<String, Object> callRow() {
        List<Map<String, Object>> rows = Sql.rows("SELECT * FROM calls WHERE dialpad_call_id = ?", CALL);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void should_project_call_ring_as_a_ringing_call_from_external_to_internal_number() {
        post("call.ring", call("ringing", 1731605955966L));
        Events.awaitAllProcessed();

        Map<String, Object> row = callRow();
        assertThat(row.get("status")).isEqualTo("ringing");
        assertThat(row.get("app_id")).isEqualTo("default");
        assertThat(row.get("direction")).isEqualTo("inbound");
        assertThat(row.get("from_number")).isEqualTo("+15109109100");
        assertThat(row.get("to_number")).isEqualTo("+15105105100");
        assertThat(row.get("started_at")).isEqualTo(ms(1731605954898L));
        assertThat(row.get("answered_at")).isNull();
        assertThat(row.get("ended_at")).isNull();
        assertThat(row.get("last_state")).isEqualTo("ringing");
        assertThat(row.get("last_event_at")).isEqualTo(ms(1731605955966L));
        assertThat(Sql.value("SELECT outcome FROM webhook_events")).isEqualTo("processed");
    }

    @Test
    void should_swap_from_and_to_for_an_outbound_call() {
        ObjectNode e = call("calling", 1731605955966L);
        e.put("direction", "outbound");
        post("call.ring", e);
        Events.awaitAllProcessed();

        assertThat(callRow().get("from_number")).isEqualTo("+15105105100");
        assertThat(callRow().get("to_number")).isEqualTo("+15109109100");
    }

    @Test
    void should_project_call_started_as_active_with_answered_at() {
        ObjectNode e = call("connected", 1731605965966L);
        e.put("date_connected", 1731605965000L);
        post("call.started", e);
        Events.awaitAllProcessed();

        assertThat(callRow().get("status")).isEqualTo("active");
        assertThat(callRow().get("answered_at")).isEqualTo(ms(1731605965000L));
    }

    @Test
    void should_use_the_connected_events_time_when_date_connected_is_missing() {
        post("call.started", call("connected", 1731605965966L));
        Events.awaitAllProcessed();

        assertThat(callRow().get("answered_at")).isEqualTo(ms(1731605965966L));
    }

    @Test
    void should_project_call_ended_with_end_time_and_duration_in_ms() {
        ObjectNode hangup = Samples.tree("call-hangup.json");
        hangup.put("call_id", CALL);
        hangup.put("duration", 8951.25);
        post("call.ended", hangup);
        Events.awaitAllProcessed();

        Map<String, Object> row = callRow();
        assertThat(row.get("status")).isEqualTo("ended");
        assertThat(row.get("ended_at")).isEqualTo(ms(1731624048355L));
        assertThat(row.get("started_at")).isEqualTo(ms(1731624039404L));
        assertThat(row.get("duration_ms")).isEqualTo(8951.25);
        assertThat(row.get("from_number")).isEqualTo("+15102609745");
        assertThat(row.get("last_state")).isEqualTo("hangup");
    }

    @Test
    void should_use_the_ending_events_time_when_date_ended_is_missing() {
        post("call.ended", call("missed", 1731605999000L));
        Events.awaitAllProcessed();

        assertThat(callRow().get("ended_at")).isEqualTo(ms(1731605999000L));
        assertThat(callRow().get("status")).isEqualTo("ended");
    }

    @Test
    void should_project_a_recording_url_without_changing_the_status() {
        post("call.ring", call("ringing", 1000L));
        Events.awaitAllProcessed();
        ObjectNode recording = call("recording", 5000L);
        recording.putArray("recording_details").addObject()
                .put("id", "r1").put("url", "https://dialpad.example/recording/r1")
                .put("recording_type", "callrecording").put("duration", 123000).put("start_time", 4000L);
        post("call.recording.completed", recording);
        Events.awaitAllProcessed();

        assertThat(callRow().get("recording_url")).isEqualTo("https://dialpad.example/recording/r1");
        assertThat(callRow().get("status")).isEqualTo("ringing");
        assertThat(callRow().get("last_state")).isEqualTo("recording");
    }

    @Test
    void should_project_a_voicemail_link() {
        ObjectNode voicemail = call("voicemail_uploaded", 5000L);
        voicemail.put("voicemail_link", "https://dialpad.example/voicemail/v1");
        post("call.recording.completed", voicemail);
        Events.awaitAllProcessed();

        assertThat(callRow().get("voicemail_url")).isEqualTo("https://dialpad.example/voicemail/v1");
        assertThat(callRow().get("status")).isNull();
    }

    @Test
    void should_record_other_call_states_as_last_state_forward_only() {
        post("call.started", call("connected", 2000L));
        Events.awaitAllProcessed();
        post("call.hold", call("hold", 3000L));
        Events.awaitAllProcessed();
        post("call.transcription", call("transcription", 2500L));
        Events.awaitAllProcessed();

        assertThat(callRow().get("last_state")).isEqualTo("hold");
        assertThat(callRow().get("last_event_at")).isEqualTo(ms(3000L));
        assertThat(callRow().get("status")).isEqualTo("active");
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'")).isEqualTo(3);
    }

    @Test
    void should_never_reopen_an_ended_call_with_a_late_ringing() {
        post("call.ended", call("hangup", 9000L));
        Events.awaitAllProcessed();
        post("call.ring", call("ringing", 1000L));
        Events.awaitAllProcessed();

        assertThat(callRow().get("status")).isEqualTo("ended");
        assertThat(callRow().get("last_state")).isEqualTo("hangup");
    }

    @Test
    void should_store_call_leg_links() {
        ObjectNode e = call("ringing", 1000L);
        e.put("master_call_id", 9007199254740993L);
        e.put("entry_point_call_id", 5314479320940544L);
        post("call.ring", e);
        Events.awaitAllProcessed();

        assertThat(callRow().get("master_call_id")).isEqualTo(9007199254740993L);
        assertThat(callRow().get("entry_point_call_id")).isEqualTo(5314479320940544L);
    }

    @Test
    void should_project_sms_received_and_sent_into_messages() throws Exception {
        ObjectNode inbound = Samples.tree("sms-inbound.json");
        ObjectNode outbound = Samples.tree("sms-inbound.json");
        outbound.put("id", 6095823680520193L);
        outbound.put("direction", "outbound");
        outbound.put("message_status", "sent");
        post("sms.received", inbound);
        post("sms.sent", outbound);
        Events.awaitAllProcessed();

        Map<String, Object> in = Sql.rows("SELECT direction, from_number, to_number::text AS to_number, text, sent_at, "
                + "status FROM messages WHERE dialpad_message_id = 6095823680520192").get(0);
        assertThat(in.get("direction")).isEqualTo("inbound");
        assertThat(in.get("from_number")).isEqualTo("+15109260499");
        assertThat(in.get("to_number")).isEqualTo("{+15106666687}");
        assertThat(in.get("text")).asString().startsWith("This is a test SMS");
        assertThat(in.get("sent_at")).isEqualTo(ms(1731632669183L));
        assertThat(in.get("status")).isEqualTo("pending");
        assertThat(Sql.value("SELECT direction FROM messages WHERE dialpad_message_id = 6095823680520193"))
                .isEqualTo("outbound");
    }

    @Test
    void should_move_an_sms_status_forward_only() {
        ObjectNode sms = Samples.tree("sms-inbound.json");
        sms.put("message_status", "delivered");
        post("sms.sent", sms);
        Events.awaitAllProcessed();
        sms.put("message_status", "sent");
        post("sms.sent", sms);
        Events.awaitAllProcessed();

        assertThat(Sql.value("SELECT status FROM messages")).isEqualTo("delivered");
    }

    @Test
    void should_mark_unknown_types_skipped_without_blocking_the_others() {
        Events.insert(List.of(
                new Events.Event("default", "dialpad.unknown", "sha256:1", "{\"foo\":1}"),
                new Events.Event("default", "crm.note", "c:1", "{\"id\":1}"),
                new Events.Event("default", "call.ring", "call:1", Samples.json(call("ringing", 1000L)))));
        Events.awaitAllProcessed();

        assertThat(Sql.rows("SELECT event_type, outcome FROM webhook_events ORDER BY event_type"))
                .extracting(r -> r.get("event_type") + "=" + r.get("outcome"))
                .containsExactly("call.ring=processed", "crm.note=skipped", "dialpad.unknown=skipped");
        assertThat(callRow().get("status")).isEqualTo("ringing");
    }

    @Test
    void should_process_events_posted_through_the_webhook_endpoint() {
        assertThat(app.post("/webhooks/dialpad", Samples.text("call-hangup.json")).statusCode()).isEqualTo(202);
        Events.awaitAllProcessed();

        assertThat(Sql.value("SELECT status FROM calls WHERE dialpad_call_id = 6421977457180672")).isEqualTo("ended");
    }
}
