package io.github.dialpadwebhooks.failures;

import java.time.Duration;
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

/** The attempt count lives in the database: a restart in the middle of redelivery neither resets nor extends it. */
class RestartDuringRedeliveryTest {

    static final long POISON = 7_500_000_000_000_666L;

    @RegisterExtension
    static PoisonTrigger poison = PoisonTrigger.refusing(POISON);

    @BeforeEach
    void setUp() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_keep_counting_attempts_across_a_restart_and_dead_letter_after_n_plus_1() throws Exception {
        RunningApp first = RunningApp.withProperty("processor.poll-delay-ms", "20")
                .and("processor.retry-delay-ms", "300");
        first.start();
        Events.insert("call.ended", "poison", Fixtures.call(POISON).state("hangup").at(1_731_600_000_000L).json());
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts() >= 2);
        first.stop();
        int attemptsAtRestart = attempts();
        assertThat(attemptsAtRestart).isBetween(2, 3);
        assertThat(Sql.value("SELECT processed_at FROM webhook_events")).isNull();

        RunningApp second = RunningApp.withProperty("processor.poll-delay-ms", "20")
                .and("processor.retry-delay-ms", "100");
        second.start();
        try {
            Events.awaitAllProcessed(Duration.ofSeconds(20));
        } finally {
            second.stop();
        }

        assertThat(Sql.value("SELECT outcome FROM webhook_events")).isEqualTo("dead_lettered");
        assertThat(attempts()).isEqualTo(4);
        assertThat(Sql.value("SELECT attempts FROM webhook_dead_letters")).isEqualTo(4);
    }

    @Test
    void should_dead_letter_an_event_whose_attempts_never_finished_without_trying_it_again() throws Exception {
        // four claims that never recorded an outcome: the instance died each time it held the event
        Events.insert("call.ring", "crash-loop", Fixtures.call(7_500_000_000_000_001L).state("ringing").at(1_000L).json());
        Sql.execute("UPDATE webhook_events SET attempts = 4, claimed_by = 'crashed-instance', "
                + "available_at = now() - interval '1 second'");
        RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20");
        app.start();
        try {
            Events.awaitAllProcessed(Duration.ofSeconds(20));
        } finally {
            app.stop();
        }

        Map<String, Object> letter = Sql.rows("SELECT error_class, error_message, attempts FROM webhook_dead_letters")
                .get(0);
        assertThat(letter.get("error_class")).isEqualTo("abandoned");
        assertThat((String) letter.get("error_message")).contains("never finished");
        assertThat(letter.get("attempts")).isEqualTo(4);
        assertThat(Sql.value("SELECT outcome FROM webhook_events")).isEqualTo("dead_lettered");
        assertThat(Sql.count("SELECT count(*) FROM calls")).as("not tried a fifth time").isZero();
    }

    private static int attempts() {
        return ((Number) Sql.value("SELECT attempts FROM webhook_events")).intValue();
    }
}
