package io.github.dialpadwebhooks.failures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison event (a trigger on calls refuses its call id) is retried with back-off, never stalls the others, and
 * after max-redeliveries + 1 attempts lands in webhook_dead_letters with the database's own error.
 */
class DeadLetterTest {

    static final long POISON = 7_400_000_000_000_666L;

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20")
            .and("processor.retry-delay-ms", "100")
            .and("processor.max-redeliveries", "3");

    @RegisterExtension
    static PoisonTrigger poison = PoisonTrigger.refusing(POISON);

    @BeforeEach
    void setUp() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_dead_letter_a_poison_event_after_exactly_n_plus_1_attempts_with_the_triggers_message() {
        Events.insert("call.ended", "poison", Fixtures.call(POISON).state("hangup").at(1_731_600_000_000L).json());

        Events.awaitAllProcessed(Duration.ofSeconds(20));

        Map<String, Object> event = Sql.rows("SELECT id, outcome, attempts, last_error, processed_at "
                + "FROM webhook_events").get(0);
        assertThat(event.get("outcome")).isEqualTo("dead_lettered");
        assertThat(event.get("attempts")).isEqualTo(4);
        assertThat((String) event.get("last_error")).contains(PoisonTrigger.MESSAGE);
        List<Map<String, Object>> letters = Sql.rows("SELECT * FROM webhook_dead_letters");
        assertThat(letters).hasSize(1);
        Map<String, Object> letter = letters.get(0);
        assertThat(letter.get("event_id")).isEqualTo(event.get("id"));
        assertThat(letter.get("app_id")).isEqualTo("default");
        assertThat(letter.get("event_type")).isEqualTo("call.ended");
        assertThat(letter.get("dialpad_event_id")).isEqualTo("poison");
        assertThat(letter.get("attempts")).isEqualTo(4);
        assertThat((String) letter.get("error_message")).contains(PoisonTrigger.MESSAGE).contains("666");
        assertThat(letter.get("error_class")).isEqualTo("org.postgresql.util.PSQLException");
        assertThat(letter.get("failed_at")).isNotNull();
        assertThat(letter.get("replayed_at")).isNull();
        assertThat(Sql.value("SELECT payload->>'call_id' FROM webhook_dead_letters")).isEqualTo(Long.toString(POISON));
        assertThat(Sql.count("SELECT count(*) FROM calls")).isZero();
    }

    @Test
    void should_fail_only_the_poison_event_of_a_group_that_fails() {
        List<Events.Event> events = new ArrayList<>();
        events.add(new Events.Event("default", "call.ring", "poison", Fixtures.call(POISON).state("ringing").at(1_000L).json()));
        for (int i = 0; i < 20; i++) {
            events.add(new Events.Event("default", "call.ring", "ok-" + i,
                    Fixtures.call(7_400_000_000_000_000L + i).state("ringing").at(1_000L).json()));
        }
        Events.insert(events);

        Events.awaitAllProcessed(Duration.ofSeconds(20));

        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(20);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed' AND attempts = 1"))
                .isEqualTo(20);
        assertThat(Sql.rows("SELECT dialpad_event_id FROM webhook_dead_letters"))
                .extracting(r -> r.get("dialpad_event_id")).containsExactly("poison");
    }

    @Test
    void should_keep_projecting_other_events_while_a_poison_event_waits_for_its_retry() {
        // the poison event failed its first attempt and waits 3 s for its second (stored that way in one
        // statement, so the processor never sees it before its back-off is set)
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, attempts, last_error, "
                + "available_at) VALUES ('default', 'call.ended', 'poison', CAST('"
                + Fixtures.call(POISON).state("hangup").at(1_731_600_000_000L).json() + "' AS jsonb), 1, 'first attempt failed', "
                + "now() + interval '3 seconds')");

        List<Events.Event> others = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            others.add(new Events.Event("default", "call.ring", "other-" + i,
                    Fixtures.call(7_400_000_000_000_000L + i).state("ringing").at(2_000L).json()));
        }
        long sent = System.nanoTime();
        Events.insert(others);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> Sql.count("SELECT count(*) FROM calls") == 100);
        long projectedMs = (System.nanoTime() - sent) / 1_000_000;

        Map<String, Object> poison = Sql.rows("SELECT processed_at, attempts FROM webhook_events "
                + "WHERE dialpad_event_id = 'poison'").get(0);
        assertThat(poison.get("processed_at")).as("the poison event is still waiting for its retry").isNull();
        assertThat(poison.get("attempts")).isEqualTo(1);
        System.out.println("100 events projected in " + projectedMs + " ms while a poison event waited for its retry");
    }
}
