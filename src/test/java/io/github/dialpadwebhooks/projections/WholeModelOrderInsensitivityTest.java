package io.github.dialpadwebhooks.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dialpadwebhooks.support.ApplicationProperties;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: for generated call-centre calls (2 to 4 linked legs, recordings, voicemails, Dialpad Ai data arriving
 * before or after the call's other events), contact histories (created, updated, deleted) and agent status
 * sequences, any processing order with random duplicates, in random waves through the real routes, gives exactly the
 * rows that processing one event at a time in order gives: calls (every column), call_recordings, call_insights,
 * call_interactions, contacts, agents and agent_status_history. Every field a merge rule decides varies between the
 * events of a flow. Seeded ({@code -Dproperty.seed}, {@code -Dproperty.tries}); a failing call flow is shrunk to a
 * minimal failing subset of its events, which is printed.
 */
class WholeModelOrderInsensitivityTest {

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "10");

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int TRIES = Integer.getInteger("property.tries", 30);
    static final long CALLS = 7_300_000_000_000_000L;
    static final long AGENTS = 6_300_000_000_000_000L;
    static final Instant RECEIVED = Instant.parse("2026-11-30T00:00:00Z");

    /** One event of a flow, made for a given id base (so one flow can be delivered twice, apart). */
    record Step(String eventType, LongFunction<ObjectNode> payload, int receivedOrder) {
    }

    @BeforeEach
    void clean() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_project_call_centre_calls_the_same_whatever_the_order() {
        long seed = Long.getLong("property.seed", System.nanoTime());
        System.out.println("WholeModelOrderInsensitivityTest calls: -Dproperty.seed=" + seed);
        Random random = new Random(seed);
        List<List<Step>> flows = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            flows.add(callCentreFlow(random));
        }
        List<List<Integer>> orders = deliver(flows, random, i -> CALLS + 20L * i);
        for (int i = 0; i < TRIES; i++) {
            long inOrder = CALLS + 20L * i;
            List<String> expected = callRows(inOrder);
            List<String> actual = callRows(inOrder + 10);
            if (!actual.equals(expected)) {
                List<Step> minimal = shrink(flows.get(i), orders.get(i));
                assertThat(actual).as("seed %d, flow %d; a minimal failing flow: %s", seed, i, describe(minimal))
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void should_project_contacts_and_agents_the_same_whatever_the_order() {
        long seed = Long.getLong("property.seed", System.nanoTime());
        System.out.println("WholeModelOrderInsensitivityTest contacts and agents: -Dproperty.seed=" + seed);
        Random random = new Random(seed);
        List<List<Step>> flows = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            flows.add(random.nextBoolean() ? contactFlow(random) : agentFlow(random));
        }
        deliver(flows, random, i -> AGENTS + 20L * i);
        for (int i = 0; i < TRIES; i++) {
            long inOrder = AGENTS + 20L * i;
            assertThat(peopleRows(inOrder + 10)).as("seed %d, flow %d: %s", seed, i, describe(flows.get(i)))
                    .isEqualTo(peopleRows(inOrder));
        }
    }

    // --- generators ---

    /**
     * A customer call into a call centre: the entry leg (0) and 1 to 3 agent legs linked to it (entry point and
     * master), sometimes a leg transferred from another (operator link); each leg rings, then is answered, missed
     * (perhaps to voicemail) or hung up; recordings, Dialpad Ai data and CSAT arrive after the call has ended. Every
     * event is a snapshot whose fields change along the flow.
     */
    static List<Step> callCentreFlow(Random random) {
        List<Step> flow = new ArrayList<>();
        int legs = 2 + random.nextInt(3);
        long t0 = 1_731_700_000_000L + random.nextInt(1_000_000_000);
        int answeredLeg = random.nextInt(4) == 0 ? -1 : 1 + random.nextInt(legs - 1);
        for (int leg = 0; leg < legs; leg++) {
            int legNumber = leg;
            long agent = 5000 + random.nextInt(3);
            Long operator = leg > 1 && random.nextInt(3) == 0 ? (long) (1 + random.nextInt(leg - 1)) : null;
            long t = t0 + leg * 1000L;
            List<String> states = new ArrayList<>(List.of("ringing"));
            if (leg == answeredLeg) {
                states.addAll(List.of("connected", "hangup"));
            } else if (leg > 0 && random.nextBoolean()) {
                states.add("missed");
                if (random.nextBoolean()) {
                    states.add("voicemail_uploaded");
                }
            } else {
                states.add("hangup");
            }
            if (random.nextBoolean()) {
                states.add("recording");
            }
            for (String extra : List.of("transcription", "recap_summary", "recap_outcome", "recap_action_items",
                    "dispositions", "csat")) {
                if (random.nextInt(3) == 0) {
                    states.add(extra);
                }
            }
            Long connected = null;
            Long ended = null;
            double talk = 0;
            for (String state : states) {
                t += 1 + random.nextInt(60_000);
                connected = "connected".equals(state) ? Long.valueOf(t) : connected;
                ended = ended == null && ("hangup".equals(state) || "missed".equals(state)) ? Long.valueOf(t) : ended;
                talk = connected != null ? Math.max(talk, t - connected + random.nextInt(100)) : talk;
                long at = t;
                Long connectedAt = connected;
                Long endedAt = ended;
                double talkTime = talk;
                String text = "v" + random.nextInt(1000);
                boolean hasContact = random.nextInt(4) > 0;
                long agentNow = random.nextInt(5) == 0 ? agent + 10 : agent;
                String labels = random.nextBoolean() ? "[\"sales\"]" : random.nextBoolean() ? "[]" : "[\"support\",\"vip\"]";
                double mos = 3 + random.nextInt(200) / 100.0;
                int recordingNo = random.nextInt(2);
                String recUrl = "https://dialpad.example/r/" + random.nextInt(3);
                int recDuration = random.nextInt(100_000);
                boolean transferred = random.nextBoolean();
                Integer csat = "csat".equals(state) ? 1 + random.nextInt(5) : null;
                flow.add(new Step(ApplicationProperties.callEventTypes().typeOf(state), base -> {
                    ObjectNode e = MAPPER.createObjectNode();
                    e.put("call_id", base + legNumber);
                    e.put("state", state);
                    e.put("direction", "inbound");
                    e.put("event_timestamp", at);
                    e.put("date_started", t0 + legNumber * 1000L);
                    putOrNull(e, "date_connected", connectedAt);
                    putOrNull(e, "date_ended", endedAt);
                    e.put("external_number", "+1510555" + (1000 + legNumber));
                    e.put("internal_number", "+15105105100");
                    if (legNumber > 0) {
                        e.put("entry_point_call_id", base);
                        e.put("master_call_id", base);
                    }
                    if (operator != null) {
                        e.put("operator_call_id", base + operator);
                    }
                    e.putObject("target").put("id", legNumber == 0 ? 9000 : agentNow).put("name", "Agent " + agentNow)
                            .put("email", "a" + agentNow + "@example.com").put("type", legNumber == 0 ? "callcenter" : "user");
                    if (hasContact) {
                        e.putObject("contact").put("id", "c-" + text).put("name", "Customer " + text)
                                .put("phone", "+1415" + text.hashCode() % 1000);
                    } else {
                        e.putObject("contact");
                    }
                    e.put("group_id", "Office:" + (legNumber % 2));
                    e.put("talk_time", talkTime);
                    e.put("hold_time", talkTime / 10);
                    e.put("total_duration", talkTime + 1000);
                    e.put("was_recorded", state.equals("recording"));
                    e.put("is_transferred", transferred);
                    e.set("labels", read(labels));
                    e.put("mos_score", mos);
                    ArrayNode recordings = e.putArray("recording_details");
                    if (state.equals("recording")) {
                        recordings.addObject().put("id", "rec-" + recordingNo).put("url", recUrl)
                                .put("recording_type", "callrecording").put("duration", recDuration)
                                .put("start_time", at - recDuration);
                    }
                    if (state.equals("voicemail_uploaded")) {
                        e.put("voicemail_link", recUrl + "/vm");
                        e.put("voicemail_recording_id", "vm-" + recordingNo);
                    }
                    switch (state) {
                        case "transcription" -> e.put("transcription_text", "transcript " + text);
                        case "recap_summary" -> e.put("recap_summary", "summary " + text);
                        case "recap_outcome" -> e.put("recap_outcome", "outcome " + text);
                        case "recap_action_items" -> e.set("recap_action_items", read("[\"" + text + "\"]"));
                        case "dispositions" -> e.set("call_dispositions", read("[{\"name\":\"" + text + "\"}]"));
                        default -> { }
                    }
                    if (csat != null) {
                        e.put("csat_score", csat);
                    }
                    return e;
                }, flow.size()));
            }
        }
        return flow;
    }

    /** A contact's history: created, updated with changing fields, perhaps deleted, perhaps created again. */
    static List<Step> contactFlow(Random random) {
        List<Step> flow = new ArrayList<>();
        int events = 2 + random.nextInt(5);
        for (int k = 0; k < events; k++) {
            String kind = k == 0 ? "Created" : random.nextInt(4) == 0 ? "Deleted" : "Updated";
            String name = "Name " + random.nextInt(100);
            String phone = "+1604" + (1_000_000 + random.nextInt(9_000_000));
            boolean company = random.nextBoolean();
            flow.add(new Step("contact." + kind.toLowerCase(), base -> {
                ObjectNode e = MAPPER.createObjectNode();
                e.put("event", kind);
                ObjectNode c = e.putObject("contact");
                c.put("id", "contact-" + base);
                c.put("type", "shared");
                c.put("first_name", name);
                c.put("display_name", name + " Test");
                if (company) {
                    c.put("company_name", "Company " + name);
                }
                c.putArray("phones").add(phone);
                c.put("primary_phone", phone);
                c.putArray("emails").add(name.replace(' ', '.') + "@example.com");
                return e;
            }, k));
        }
        return flow;
    }

    /** An agent's status changes over a shift, with a reason and availability that change too. */
    static List<Step> agentFlow(Random random) {
        List<Step> flow = new ArrayList<>();
        long t = 1_731_633_000_000L + random.nextInt(1_000_000);
        int events = 2 + random.nextInt(6);
        for (int k = 0; k < events; k++) {
            t += random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(600_000);
            long at = t;
            String duty = List.of("available", "busy", "wrapup", "unavailable").get(random.nextInt(4));
            String reason = random.nextBoolean() ? "reason " + random.nextInt(5) : null;
            String availability = random.nextBoolean() ? "open" : "closed";
            String centre = Integer.toString(random.nextInt(3));
            flow.add(new Step("agent.status", base -> {
                ObjectNode e = MAPPER.createObjectNode();
                e.put("availability_status", availability);
                e.putArray("call_center_ids").add(centre);
                e.put("date", at - 100);
                e.put("event_timestamp", at);
                e.put("on_duty_status", duty);
                putOrNull(e, "on_duty_status_reason", reason);
                e.putObject("target").put("id", base).put("name", "Agent " + duty).put("email", "agent@example.com")
                        .put("type", "user");
                return e;
            }, k));
        }
        return flow;
    }

    // --- delivery ---

    /**
     * Each flow i twice: in order, one event per wave, under base(i); and shuffled with duplicates, in random waves,
     * under base(i) + 10. Both variants of an event have the same received_at (contacts go by it). Returns the
     * shuffled order of each flow (indexes into the flow).
     */
    private static List<List<Integer>> deliver(List<List<Step>> flows, Random random, LongFunction<Long> base) {
        List<List<Row>> waves = new ArrayList<>();
        List<List<Integer>> orders = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            List<Step> flow = flows.get(i);
            long inOrder = base.apply(i);
            for (int k = 0; k < flow.size(); k++) {
                // ids that sort the same way in both variants (a tie between two events is broken by the id)
                wave(waves, k).add(new Row(flow.get(k), inOrder, String.format("in:%d:%03d", inOrder, k)));
            }
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < flow.size(); k++) {
                order.add(k);
                if (random.nextInt(3) == 0) {
                    order.add(k);
                }
            }
            Collections.shuffle(order, random);
            orders.add(order);
            int w = 0;
            int copy = 0;
            for (int start = 0; start < order.size(); w++) {
                int size = 1 + random.nextInt(Math.min(4, order.size() - start));
                for (int n = start; n < start + size; n++) {
                    int k = order.get(n);
                    wave(waves, w).add(new Row(flow.get(k), inOrder + 10,
                            String.format("sh:%d:%03d:%d", inOrder, k, copy++)));
                }
                start += size;
            }
        }
        for (List<Row> wave : waves) {
            insert(wave);
            Events.awaitAllProcessed();
        }
        return orders;
    }

    record Row(Step step, long base, String dialpadEventId) {
    }

    private static List<Row> wave(List<List<Row>> waves, int index) {
        while (waves.size() <= index) {
            waves.add(new ArrayList<>());
        }
        return waves.get(index);
    }

    private static void insert(List<Row> rows) {
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_events (app_id, event_type, "
                        + "dialpad_event_id, payload, received_at) VALUES ('default', ?, ?, CAST(? AS jsonb), ?)")) {
            for (Row row : rows) {
                ps.setString(1, row.step().eventType());
                ps.setString(2, row.dialpadEventId());
                ps.setString(3, row.step().payload().apply(row.base()).toString());
                ps.setTimestamp(4, Timestamp.from(RECEIVED.plusSeconds(row.step().receivedOrder())));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes events from a failing flow while the shuffled delivery still differs from the in-order one. */
    private List<Step> shrink(List<Step> flow, List<Integer> order) {
        List<Step> current = new ArrayList<>(flow);
        List<Integer> currentOrder = new ArrayList<>(order);
        long base = CALLS + 900_000;
        for (int k = current.size() - 1; k >= 0; k--) {
            List<Step> candidate = new ArrayList<>(current);
            candidate.remove(k);
            int removed = k;
            List<Integer> candidateOrder = currentOrder.stream().filter(n -> n != removed)
                    .map(n -> n > removed ? n - 1 : n).toList();
            base += 20;
            if (fails(candidate, candidateOrder, base)) {
                current = candidate;
                currentOrder = new ArrayList<>(candidateOrder);
            }
        }
        return current;
    }

    private static boolean fails(List<Step> flow, List<Integer> order, long base) {
        for (int k = 0; k < flow.size(); k++) {
            insert(List.of(new Row(flow.get(k), base, "shrink-in:" + base + ":" + k)));
            Events.awaitAllProcessed();
        }
        int copy = 0;
        for (int k : order) {
            insert(List.of(new Row(flow.get(k), base + 10, "shrink-sh:" + base + ":" + copy++)));
        }
        Events.awaitAllProcessed();
        return !callRows(base).equals(callRows(base + 10));
    }

    // --- what is compared (ids relative to the flow's base) ---

    private static List<String> callRows(long base) {
        List<String> rows = new ArrayList<>();
        Sql.rows("SELECT c.dialpad_call_id - ? AS leg, c.direction, c.from_number, c.to_number, c.status, c.started_at, "
                + "c.answered_at, c.ended_at, c.duration_ms, c.recording_url, c.voicemail_url, "
                + "c.master_call_id - ? AS master, c.entry_point_call_id - ? AS entry, c.operator_call_id - ? AS operator, "
                + "c.interaction_id - ? AS interaction, c.agent_id, c.agent_name, c.agent_email, c.agent_type, "
                + "c.contact_id, c.contact_name, c.contact_phone, c.group_id, c.talk_time_ms, c.hold_time_ms, "
                + "c.total_duration_ms, c.was_recorded, c.is_transferred, CAST(c.labels AS text) AS labels, c.mos_score, "
                + "c.csat_score, c.last_state, c.last_event_at FROM calls c WHERE c.dialpad_call_id BETWEEN ? AND ? "
                + "ORDER BY 1", base, base, base, base, base, base, base + 9).forEach(r -> rows.add("call " + r));
        Sql.rows("SELECT dialpad_call_id - ? AS leg, recording_type, recording_id, url, duration_ms, started_at "
                + "FROM call_recordings WHERE dialpad_call_id BETWEEN ? AND ? ORDER BY 1, 2, 3", base, base, base + 9)
                .forEach(r -> rows.add("recording " + r));
        Sql.rows("SELECT dialpad_call_id - ? AS leg, transcription_text, recap_summary, recap_outcome, "
                + "CAST(recap_action_items AS text) AS items, CAST(recap_purposes AS text) AS purposes, "
                + "CAST(dispositions AS text) AS dispositions, csat_score, last_event_at FROM call_insights "
                + "WHERE dialpad_call_id BETWEEN ? AND ? ORDER BY 1", base, base, base + 9)
                .forEach(r -> rows.add("insights " + r));
        Sql.rows("SELECT interaction_id - ? AS id, (SELECT string_agg(CAST(l - ? AS text), ',' ORDER BY l) "
                + "FROM unnest(legs) AS l) AS legs, started_at, ended_at, answered, answered_by_agent_id, outcome, "
                + "talk_time_ms FROM call_interactions WHERE interaction_id BETWEEN ? AND ? ORDER BY 1", base, base,
                base, base + 9).forEach(r -> rows.add("interaction " + r));
        return rows;
    }

    private static List<String> peopleRows(long base) {
        List<String> rows = new ArrayList<>();
        Sql.rows("SELECT contact_type, first_name, last_name, display_name, company_name, job_title, "
                + "CAST(phones AS text) AS phones, primary_phone, CAST(emails AS text) AS emails, primary_email, "
                + "extension, updated_at, deleted_at FROM contacts WHERE dialpad_contact_id = ?", "contact-" + base)
                .forEach(r -> rows.add("contact " + r));
        Sql.rows("SELECT name, email, on_duty_status, on_duty_status_reason, availability_status, "
                + "CAST(call_center_ids AS text) AS centres, status_at FROM agents WHERE dialpad_agent_id = ?", base)
                .forEach(r -> rows.add("agent " + r));
        Sql.rows("SELECT status_at, on_duty_status, on_duty_status_reason, availability_status "
                + "FROM agent_status_history WHERE dialpad_agent_id = ? ORDER BY status_at", base)
                .forEach(r -> rows.add("history " + r));
        return rows;
    }

    private static String describe(List<Step> flow) {
        List<String> events = new ArrayList<>();
        for (Step step : flow) {
            events.add(step.eventType() + " " + step.payload().apply(0L));
        }
        return String.join("\n  ", events);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static void putOrNull(ObjectNode e, String field, Object value) {
        if (value == null) {
            e.putNull(field);
        } else if (value instanceof Long l) {
            e.put(field, l);
        } else {
            e.put(field, value.toString());
        }
    }
}
