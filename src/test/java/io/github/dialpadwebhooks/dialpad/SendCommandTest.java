package io.github.dialpadwebhooks.dialpad;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.dialpadwebhooks.CommandLineAccess;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The send command: bundled samples and a call-centre flow, signed as Dialpad signs, into a running service. */
class SendCommandTest {

    static final String SECRET = "send-command-secret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET)
            .and("processor.poll-delay-ms", "20");

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void empty() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_send_every_bundled_sample_signed_and_have_it_projected() {
        for (String sample : TestEventSender.SAMPLES) {
            assertThat(send(SECRET, "send", sample, "--now", "--new-ids")).as(sample + ": " + text(err)).isZero();
        }
        assertThat(text(out)).contains("(signed HS256) -> 202").doesNotContain(SECRET);
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'"))
                .isEqualTo(TestEventSender.SAMPLES.size());
        assertThat(Sql.count("SELECT count(*) FROM messages")).isEqualTo(1);
        assertThat(Sql.count("SELECT count(*) FROM contacts")).isEqualTo(1);
        assertThat(Sql.count("SELECT count(*) FROM agent_status_history")).isEqualTo(1);
        assertThat(Sql.count("SELECT count(*) FROM change_log")).isEqualTo(1);
        // --now: the latest time of the event is now (within a minute)
        assertThat(Sql.count("SELECT count(*) FROM calls WHERE last_event_at > now() - interval '1 minute'"))
                .isEqualTo(4);
    }

    @Test
    void should_post_a_call_centre_call_in_a_random_order_with_duplicates() {
        assertThat(send(SECRET, "send", "--flow", "call-centre")).as(text(err)).isZero();
        assertThat(text(out)).contains("-> 200").contains("-> 202");
        Events.awaitAllProcessed();
        assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(3);
        assertThat(Sql.rows("SELECT outcome, answered_by_agent_id FROM call_interactions")).singleElement()
                .satisfies(i -> {
                    assertThat(i.get("outcome")).isEqualTo("answered");
                    assertThat(i.get("answered_by_agent_id")).isEqualTo(5002L);
                });
        assertThat(Sql.count("SELECT count(*) FROM call_recordings")).isEqualTo(1);
        assertThat(Sql.count("SELECT count(*) FROM call_insights")).isEqualTo(1);
    }

    @Test
    void should_report_a_refused_event_and_exit_with_1() {
        assertThat(send("not-the-secret", "send", "call-hangup")).isEqualTo(1);
        assertThat(text(out)).contains("-> 401");
        assertThat(send(SECRET, "send", "no-such-sample")).isEqualTo(1);
        assertThat(text(err)).contains("call-hangup");
    }

    private int send(String secret, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--to";
        all[args.length + 1] = app.uri("/").toString();
        return CommandLineAccess.run(all, Map.of("dialpad.webhook-secret", secret),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
