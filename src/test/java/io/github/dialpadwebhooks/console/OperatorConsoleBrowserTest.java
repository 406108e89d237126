package io.github.dialpadwebhooks.console;

import java.io.File;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.failures.PoisonTrigger;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real browser: Playwright (playwright-core, src/test/console) driving Debian's Chromium
 * against the running service and a real database. This class prepares the database (ordinary events, four
 * poisoned call events, one whose payload holds {@code <script>}, dead-lettered, then the fault removed; a recorded
 * call with its agent, recap and interaction, an SMS, a contact and an agent's status from the samples), runs the
 * browser script with what it must see, and checks the database after the clicks: the replays, the pause and
 * resume, the discarded dead letter, the reprocess job, the rebuild and the audit log of them all.
 * <p>
 * Needs node, /usr/bin/chromium and {@code npm ci} in src/test/console ({@code .ci/run} installs them). Without
 * them the test is skipped, unless CONSOLE_BROWSER_TESTS=required (as in CI), where it fails.
 */
class OperatorConsoleBrowserTest {

    static final String TOKEN = "console-test-token-of-24-chars";
    /** Above 2^53: the browser must still show it exactly. */
    static final long POISON = 9_100_000_000_000_000_123L;
    static final long HANGUP_AT = 1_764_400_000_000L;
    /** Two more poisoned calls (call.ring), for "replay selected" and "replay all matching". */
    static final long SECOND = 7_900_000_000_000_002L;
    static final long THIRD = 7_900_000_000_000_003L;
    /** One more (call.started), discarded with a reason through the dead letter's detail. */
    static final long FOURTH = 7_900_000_000_000_004L;
    static final String DISCARD_REASON = "duplicate of a call merged by hand <b>#4</b>";
    static final String PAUSE_REASON = "database maintenance (test)";
    static final Path SCRIPT_DIR = Path.of("src/test/console");
    /** In the samples: the recorded call (call-recording.json), its agent (agent-status.json), a contact. */
    static final String AGENT_CALL_ID = "6421977457180672";
    static final String AGENT_ID = "5991398486736896";
    static final String CONTACT_ID = "5908860123456789";
    /** The SMS of sms-inbound.json. */
    static final String SMS_ID = "6095823680520192";
    static final String SMS_FROM = "+15109260499";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN)
            .and("processor.poll-delay-ms", "20")
            .and("processor.retry-delay-ms", "20")
            .and("processor.max-redeliveries", "1")
            .and("metrics.refresh-ms", "1000");

    @RegisterExtension
    static PoisonTrigger poisonTrigger = PoisonTrigger.refusing();

    @Test
    void should_show_fix_and_replay_a_dead_letter_in_a_real_browser() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        boolean ready = new File(chromium).canExecute()
                && Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")) && onPath("node");
        if (!ready) {
            String why = "browser test needs node, " + chromium + " and `npm ci --prefix src/test/console`";
            if ("required".equals(System.getenv("CONSOLE_BROWSER_TESTS"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        TestDatabase.get().truncateAll();
        // the traffic starts after the chart's first sample, so the chart has something to show
        await().atMost(Duration.ofSeconds(10)).until(() -> app.send(HttpRequest.newBuilder(
                app.managementUri("/stats/history")).header("Authorization", "Bearer " + TOKEN).GET())
                .body().contains("\"at\""));

        // ordinary traffic: the real samples (calls, a recorded call with its agent, contact and recap, an SMS, a
        // contact, an agent's status), more calls and an event no handler knows (skipped)
        for (String sample : new String[] {"call-ringing.json", "call-hangup.json", "sms-inbound.json",
                "call-recording.json", "call-recap-summary.json", "contact-created.json", "agent-status.json"}) {
            assertThat(app.post("/webhooks/dialpad", Samples.text(sample)).statusCode()).isEqualTo(202);
        }
        for (int i = 0; i < 12; i++) {
            assertThat(app.post("/webhooks/dialpad", Fixtures.call(7_700_000_000_000_000L + i).state("ringing").at(HANGUP_AT + i).json()).statusCode()).isEqualTo(202);
        }
        assertThat(app.post("/webhooks/dialpad", "{\"hello\":\"an event of a shape nobody handles\"}")
                .statusCode()).isEqualTo(202);
        Events.awaitAllProcessed();

        // the poisoned calls: the database refuses their rows until the fault is removed
        poisonTrigger.refuse(POISON, SECOND, THIRD, FOURTH);
        for (long other : new long[] {SECOND, THIRD}) {
            assertThat(app.post("/webhooks/dialpad", Fixtures.call(other).state("ringing").at(HANGUP_AT).json())
                    .statusCode()).isEqualTo(202);
        }
        assertThat(app.post("/webhooks/dialpad", Fixtures.call(FOURTH).state("connected").at(HANGUP_AT).json())
                .statusCode()).isEqualTo(202);
        String discardEventId = "call:" + FOURTH + ":connected:" + HANGUP_AT;
        String poison = Fixtures.call(POISON).state("hangup").at(HANGUP_AT).numbers("+15550009999", "+15550001111")
                .set("date_started", HANGUP_AT - 60_000).set("date_ended", HANGUP_AT - 1_000)
                .set("contact", Map.of("name", "<script>window.__pwned = 1</script><img src=x onerror=window.__pwned=2>",
                        "phone", "+15550009999")).json();
        assertThat(app.post("/webhooks/dialpad", poison).statusCode()).isEqualTo(202);
        String poisonEventId = "call:" + POISON + ":hangup:" + HANGUP_AT;
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(
                "SELECT count(*) FROM webhook_dead_letters WHERE dialpad_event_id = ? AND replayed_at IS NULL",
                poisonEventId) == 1 && Sql.count("SELECT count(*) FROM webhook_dead_letters") == 4);
        poisonTrigger.remove();

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("received", Sql.count("SELECT count(*) FROM webhook_events"));
        expected.put("processed", Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'"));
        expected.put("skipped", Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'skipped'"));
        expected.put("dead_lettered", Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'dead_lettered'"));
        expected.put("unprocessed", Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NULL"));
        expected.put("dead_letters_open", Sql.count("SELECT count(*) FROM webhook_dead_letters WHERE replayed_at IS NULL"));
        assertThat(expected.get("skipped")).isEqualTo(1L);
        assertThat(expected.get("dead_letters_open")).isEqualTo(4L);

        Path screenshots = Path.of("target/console-screenshots");
        ProcessBuilder builder = new ProcessBuilder("node", "console.test.mjs").directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true);
        builder.environment().put("CONSOLE_URL", app.managementUri("").toString());
        builder.environment().put("ADMIN_TOKEN", TOKEN);
        builder.environment().put("EXPECTED_STATS", new ObjectMapper().writeValueAsString(expected));
        builder.environment().put("POISON_CALL_ID", Long.toString(POISON));
        builder.environment().put("POISON_EVENT_ID", poisonEventId);
        builder.environment().put("SECOND_EVENT_ID", "call:" + SECOND + ":ringing:" + HANGUP_AT);
        builder.environment().put("AGENT_CALL_ID", AGENT_CALL_ID);
        builder.environment().put("AGENT_ID", AGENT_ID);
        builder.environment().put("CONTACT_ID", CONTACT_ID);
        builder.environment().put("DISCARD_EVENT_ID", discardEventId);
        builder.environment().put("DISCARD_REASON", DISCARD_REASON);
        builder.environment().put("PAUSE_REASON", PAUSE_REASON);
        builder.environment().put("SMS_ID", SMS_ID);
        builder.environment().put("SMS_FROM", SMS_FROM);
        builder.environment().put("SCREENSHOT_DIR", screenshots.toAbsolutePath().toString());
        builder.environment().put("CHROMIUM", chromium);
        Process browser = builder.start();
        String output;
        boolean finished = browser.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            browser.destroyForcibly();
        }
        output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("browser script finished within 3 min").isTrue();
        assertThat(browser.exitValue()).as(output).isZero();
        assertThat(output).contains("replay (confirmed) shows the result");
        assertThat(output).contains("the Contacts section").contains("the Agents section");
        assertThat(output).contains("the pause switch").contains("discard a dead letter").contains("events explorer")
                .contains("reprocess of the filter").contains("the SMS section").contains("the audit log");

        // what the clicks did, seen from the database
        assertThat(Sql.value("SELECT replayed_at IS NOT NULL FROM webhook_dead_letters WHERE dialpad_event_id = ?",
                poisonEventId)).isEqualTo(true);
        // reprocessed by the console (a job on its Dialpad id): processed again
        await().atMost(Duration.ofSeconds(20)).until(() -> "processed".equals(Sql.value(
                "SELECT outcome FROM webhook_events WHERE dialpad_event_id = ?", poisonEventId)));
        assertThat(Sql.value("SELECT status FROM calls WHERE dialpad_call_id = ?", POISON)).isEqualTo("ended");
        await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count(
                "SELECT count(*) FROM calls WHERE dialpad_call_id IN (?, ?)", SECOND, THIRD) == 2);
        assertThat(Sql.count("SELECT count(*) FROM webhook_dead_letters WHERE replayed_at IS NULL")).isZero();
        assertThat(screenshots.resolve("operator-console.png")).exists();
        assertThat(screenshots.resolve("operator-console-events.png")).exists();

        // the pause switch: paused, then running again; each change as the database answered it (the UPDATE's
        // RETURNING, kept in the audit log), and who changed it
        assertThat(Sql.value("SELECT paused FROM processing_control")).isEqualTo(false);
        assertThat(Sql.rows("SELECT action, result ->> 'paused' AS paused, status FROM audit_log "
                + "WHERE action IN ('pause-processing', 'resume-processing') ORDER BY id")).containsExactly(
                Map.of("action", "pause-processing", "paused", "true", "status", 200),
                Map.of("action", "resume-processing", "paused", "false", "status", 200));
        assertThat(Sql.value("SELECT filter ->> 'reason' FROM audit_log WHERE action = 'pause-processing'"))
                .isEqualTo(PAUSE_REASON);
        assertThat((String) Sql.value("SELECT changed_by FROM processing_control")).startsWith("console session ");

        // the discarded dead letter: resolved, with the reason as typed; its event not run again
        Map<String, Object> discarded = Sql.rows("SELECT discarded_at, discard_reason, replayed_at FROM "
                + "webhook_dead_letters WHERE dialpad_event_id = ?", discardEventId).get(0);
        assertThat(discarded.get("discarded_at")).isNotNull();
        assertThat(discarded.get("discard_reason")).isEqualTo(DISCARD_REASON);
        assertThat(discarded.get("replayed_at")).isNotNull();
        assertThat(Sql.value("SELECT outcome FROM webhook_events WHERE dialpad_event_id = ?", discardEventId))
                .isEqualTo("dead_lettered");

        // the reprocess job the console started on the explorer's filter: completed, one event
        assertThat(Sql.rows("SELECT status, total, requeued, filter ->> 'dialpad_event_id' AS event, "
                + "created_by LIKE 'console session %' AS by_console FROM reprocess_jobs"))
                .containsExactly(Map.of("status", "completed", "total", 1, "requeued", 1, "event", poisonEventId,
                        "by_console", true));
        // the rebuild of change_log: swapped in
        assertThat(Sql.value("SELECT status FROM projection_rebuilds WHERE projection = 'change_log'"))
                .isEqualTo("completed");
        // every one of those actions in the audit log, by the console session
        assertThat(Sql.rows("SELECT DISTINCT action FROM audit_log WHERE actor LIKE 'console session %' AND status "
                + "< 400").stream().map(r -> r.get("action")).toList()).contains("pause-processing",
                "resume-processing", "discard-dead-letter", "replay-dead-letter", "replay-dead-letters",
                "reprocess-events", "rebuild-projection");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
