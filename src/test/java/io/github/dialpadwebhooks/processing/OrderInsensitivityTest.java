package io.github.dialpadwebhooks.processing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Property: for randomly generated call flows (and SMS status sequences), any permutation of the events with random
 * duplicates, delivered in random waves through the real routes, yields exactly the row that in-order processing
 * (one event at a time) yields.
 *
 * <p>Generated with a seeded {@link Random}: the seed is printed and can be replayed with
 * {@code -Dproperty.seed=...}; {@code -Dproperty.tries=...} sets how many flows (default 60 calls and 60 SMS).
 * Every try has its own call ids, so all tries run side by side: one wave of inserts, then one wait, for all of them.
 */
class OrderInsensitivityTest {

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "10");

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int TRIES = Integer.getInteger("property.tries", 60);
    static final List<String> CALL_COLUMNS = List.of("app_id", "direction", "from_number", "to_number", "status",
            "started_at", "answered_at", "ended_at", "duration_ms", "recording_url", "voicemail_url", "master_call_id",
            "entry_point_call_id", "last_state", "last_event_at");
    static final List<String> MESSAGE_COLUMNS = List.of("app_id", "direction", "from_number", "to_number", "text",
            "sent_at", "status", "last_event_at");

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_project_any_permutation_with_duplicates_of_call_events_like_in_order_processing() {
        long seed = Long.getLong("property.seed", System.nanoTime());
        System.out.println("OrderInsensitivityTest calls: -Dproperty.seed=" + seed);
        Random random = new Random(seed);
        List<List<ObjectNode>> flows = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            flows.add(CallFlows.random(random));
        }
        runProperty(flows, random, i -> 7_100_000_000_000_000L + 2L * i, "call_id",
                e -> ApplicationProperties.callEventTypes().typeOf(e.get("state").asText()));

        for (int i = 0; i < TRIES; i++) {
            long inOrder = 7_100_000_000_000_000L + 2L * i;
            assertThat(row("calls", "dialpad_call_id", inOrder + 1, CALL_COLUMNS))
                    .as("seed %d, flow %d: %s", seed, i, states(flows.get(i)))
                    .isEqualTo(row("calls", "dialpad_call_id", inOrder, CALL_COLUMNS));
        }
    }

    @Test
    void should_project_any_permutation_with_duplicates_of_sms_events_like_in_order_processing() {
        long seed = Long.getLong("property.seed", System.nanoTime());
        System.out.println("OrderInsensitivityTest sms: -Dproperty.seed=" + seed);
        Random random = new Random(seed);
        List<List<ObjectNode>> flows = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            flows.add(SmsFlows.random(random));
        }
        runProperty(flows, random, i -> 8_100_000_000_000_000L + 2L * i, "id",
                e -> "inbound".equals(e.get("direction").asText()) ? "sms.received" : "sms.sent");

        for (int i = 0; i < TRIES; i++) {
            long inOrder = 8_100_000_000_000_000L + 2L * i;
            assertThat(row("messages", "dialpad_message_id", inOrder + 1, MESSAGE_COLUMNS))
                    .as("seed %d, flow %d: %s", seed, i, statuses(flows.get(i)))
                    .isEqualTo(row("messages", "dialpad_message_id", inOrder, MESSAGE_COLUMNS));
        }
    }

    /**
     * Flow i is delivered twice: in order, one event per wave, under id base(i); and shuffled with duplicates, in
     * random waves, under id base(i) + 1.
     */
    private static void runProperty(List<List<ObjectNode>> flows, Random random, Function<Integer, Long> baseId,
            String idField, Function<ObjectNode, String> eventType) {
        List<List<List<ObjectNode>>> waves = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            List<List<ObjectNode>> flowWaves = new ArrayList<>();
            for (ObjectNode event : flows.get(i)) {
                flowWaves.add(List.of(withId(event, idField, baseId.apply(i))));
            }
            List<ObjectNode> shuffled = new ArrayList<>();
            for (ObjectNode event : flows.get(i)) {
                int copies = 1 + (random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0);
                for (int c = 0; c < copies; c++) {
                    shuffled.add(withId(event, idField, baseId.apply(i) + 1));
                }
            }
            Collections.shuffle(shuffled, random);
            int w = 0;
            for (int start = 0; start < shuffled.size();) {
                int size = 1 + random.nextInt(Math.min(4, shuffled.size() - start));
                addToWave(waves, w++, List.of()); // keep wave indexes aligned per flow
                addToWave(waves, w - 1, shuffled.subList(start, start + size));
                start += size;
            }
            for (int k = 0; k < flowWaves.size(); k++) {
                addToWave(waves, k, flowWaves.get(k));
            }
        }
        int n = 0;
        for (List<List<ObjectNode>> wave : waves) {
            List<Events.Event> batch = new ArrayList<>();
            for (List<ObjectNode> part : wave) {
                for (ObjectNode e : part) {
                    batch.add(new Events.Event("default", eventType.apply(e), "prop:" + (n++), e.toString()));
                }
            }
            Events.insert(batch);
            Events.awaitAllProcessed();
        }
    }

    private static void addToWave(List<List<List<ObjectNode>>> waves, int index, List<ObjectNode> events) {
        while (waves.size() <= index) {
            waves.add(new ArrayList<>());
        }
        if (!events.isEmpty()) {
            waves.get(index).add(events);
        }
    }

    private static ObjectNode withId(ObjectNode event, String field, long id) {
        ObjectNode copy = event.deepCopy();
        copy.put(field, id);
        return copy;
    }

    private static Map<String, Object> row(String table, String idColumn, long id, List<String> columns) {
        List<Map<String, Object>> rows = Sql.rows("SELECT " + String.join(", ", columns).replace("to_number",
                "to_number::text AS to_number") + " FROM " + table + " WHERE " + idColumn + " = ?", id);
        assertThat(rows).as(table + " row " + id).hasSize(1);
        return new LinkedHashMap<>(rows.get(0));
    }

    private static List<String> states(List<ObjectNode> flow) {
        return flow.stream().map(e -> e.get("state").asText() + "@" + e.get("event_timestamp").asLong()).toList();
    }

    private static List<String> statuses(List<ObjectNode> flow) {
        return flow.stream().map(e -> e.get("message_status").asText() + "@" + e.get("event_timestamp").asLong())
                .toList();
    }

    /** Realistic call flows: each event a snapshot of the call as Dialpad sends it, in time order. */
    static final class CallFlows {

        static List<ObjectNode> random(Random random) {
            List<String> states = new ArrayList<>();
            switch (random.nextInt(4)) {
                case 0 -> states.add("ringing");
                case 1 -> states.add("calling");
                case 2 -> { states.add("queued"); states.add("ringing"); }
                default -> { states.add("preanswer"); states.add("ringing"); }
            }
            boolean answered = random.nextInt(10) < 7;
            if (answered) {
                states.add("connected");
                if (random.nextInt(3) == 0) {
                    states.add("hold");
                    states.add("connected");
                }
                states.add("hangup");
                if (random.nextBoolean()) {
                    states.add("recording");
                }
                if (random.nextInt(5) == 0) {
                    states.add("admin_recording");
                }
            } else if (random.nextBoolean()) {
                states.add("missed");
                if (random.nextBoolean()) {
                    states.add("voicemail");
                    states.add("voicemail_uploaded");
                }
            } else {
                states.add(random.nextBoolean() ? "hangup" : "blocked");
            }
            if (random.nextInt(4) == 0) {
                states.add("csat");
            }

            boolean outbound = random.nextBoolean();
            long started = 1_731_600_000_000L + random.nextInt(1_000_000_000);
            long t = started + random.nextInt(2000);
            Long connected = null;
            Long ended = null;
            Long masterCallId = random.nextInt(4) == 0 ? 5_000_000_000_000_000L + random.nextInt(1000) : null;
            int recordings = 0;
            List<ObjectNode> flow = new ArrayList<>();
            for (String state : states) {
                t += 1 + random.nextInt(30_000);
                if ("connected".equals(state) && connected == null) {
                    connected = t;
                }
                if (("hangup".equals(state) || "missed".equals(state) || "blocked".equals(state)) && ended == null) {
                    ended = t;
                }
                ObjectNode e = MAPPER.createObjectNode();
                e.put("call_id", 0L);
                e.put("state", state);
                e.put("direction", outbound ? "outbound" : "inbound");
                e.put("event_timestamp", t);
                e.put("date_started", started);
                putOrNull(e, "date_connected", connected);
                putOrNull(e, "date_ended", ended);
                if (ended != null) {
                    e.put("duration", (ended - started) + random.nextInt(1000) / 100.0);
                } else {
                    e.putNull("duration");
                }
                e.put("external_number", "+1510555" + (1000 + random.nextInt(9000)));
                e.put("internal_number", "+15105105100");
                putOrNull(e, "master_call_id", masterCallId);
                e.putNull("entry_point_call_id");
                if (state.endsWith("recording")) {
                    recordings++;
                    e.putArray("recording_details").addObject().put("url",
                            "https://dialpad.example/recording/" + t + "-" + recordings)
                            .put("recording_type", "callrecording");
                } else {
                    e.putArray("recording_details");
                }
                if ("voicemail_uploaded".equals(state)) {
                    e.put("voicemail_link", "https://dialpad.example/voicemail/" + t);
                } else {
                    e.putNull("voicemail_link");
                }
                flow.add(e);
            }
            // the numbers of one call do not change between its events
            String external = flow.get(0).get("external_number").asText();
            flow.forEach(e -> e.put("external_number", external));
            return flow;
        }

        private static void putOrNull(ObjectNode e, String field, Long value) {
            if (value == null) {
                e.putNull(field);
            } else {
                e.put(field, value);
            }
        }
    }

    /** Realistic SMS status sequences: pending, then sent, then delivered or failed or undelivered. */
    static final class SmsFlows {

        static List<ObjectNode> random(Random random) {
            boolean inbound = random.nextInt(3) == 0;
            List<String> statuses = new ArrayList<>(List.of("pending"));
            if (!inbound) {
                if (random.nextInt(5) == 0) {
                    statuses.add("failed");
                } else {
                    statuses.add("sent");
                    statuses.add(List.of("delivered", "delivered", "undelivered", "failed").get(random.nextInt(4)));
                }
            }
            long created = 1_731_632_669_183L + random.nextInt(1_000_000);
            long t = created;
            List<ObjectNode> flow = new ArrayList<>();
            for (String status : statuses) {
                t += 1 + random.nextInt(10_000);
                ObjectNode e = MAPPER.createObjectNode();
                e.put("id", 0L);
                e.put("direction", inbound ? "inbound" : "outbound");
                e.put("message_status", status);
                e.put("created_date", created);
                e.put("event_timestamp", t);
                e.put("from_number", "+15109260499");
                e.putArray("to_number").add("+15106666687");
                e.put("text", "message " + created);
                flow.add(e);
            }
            return flow;
        }
    }
}
