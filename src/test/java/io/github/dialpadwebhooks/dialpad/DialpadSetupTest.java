package io.github.dialpadwebhooks.dialpad;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.CommandLineAccess;
import io.github.dialpadwebhooks.support.DialpadApiStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** dialpad setup / status against a stub of Dialpad's API: creates, then changes nothing, then mends what drifted. */
class DialpadSetupTest {

    static final DialpadApiStub dialpad = DialpadApiStub.start();
    static final String HOOK = "https://receiver.example.com/webhooks/dialpad";
    static final List<String> STATES = List.of("hangup", "connected", "ringing", "recording", "recap_summary");

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @AfterAll
    static void stopStub() {
        dialpad.close();
    }

    @BeforeEach
    void emptyDialpad() {
        dialpad.reset();
    }

    @Test
    void should_create_the_webhook_and_subscriptions_then_change_nothing_the_second_time() throws Exception {
        assertThat(setup("s3cret-one").setup(false)).isEqualTo(5);
        assertThat(dialpad.webhooks()).hasSize(1);
        JsonNode webhook = dialpad.webhooks().get(0);
        assertThat(webhook.get("hook_url").asText()).isEqualTo(HOOK);
        assertThat(webhook.at("/signature/secret").asText()).isEqualTo("s3cret-one");
        String webhookId = webhook.get("id").asText();
        for (String kind : List.of("call", "sms", "contact", "agent_status")) {
            assertThat(dialpad.subscriptions(kind)).as(kind).hasSize(1);
            assertThat(dialpad.subscriptions(kind).get(0).at("/webhook/id").asText()).isEqualTo(webhookId);
        }
        assertThat(dialpad.subscriptions("call").get(0).get("call_states")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(STATES);
        JsonNode sms = dialpad.subscriptions("sms").get(0);
        assertThat(sms.get("direction").asText()).isEqualTo("all");
        assertThat(sms.get("status").asBoolean()).isTrue();
        assertThat(dialpad.subscriptions("contact").get(0).get("contact_type").asText()).isEqualTo("shared");
        assertThat(dialpad.subscriptions("agent_status").get(0).get("agent_type").asText()).isEqualTo("callcenter");

        int writes = writes();
        printed.reset();
        assertThat(setup("s3cret-one").setup(false)).isZero();
        assertThat(writes()).as("a second run writes nothing").isEqualTo(writes);
        assertThat(out()).contains("nothing to change").doesNotContain("s3cret-one");
        assertThat(setup("s3cret-one").status()).isZero();
    }

    @Test
    void should_update_a_changed_secret_and_a_subscription_edited_by_hand() throws Exception {
        setup("old-secret").setup(false);
        // someone edited the call subscription in Dialpad's admin
        dialpad.subscriptions("call").get(0).putArray("call_states").add("hangup");
        printed.reset();
        assertThat(setup("new-secret").status()).isEqualTo(2);
        assertThat(out()).contains("SECRET DIFFERS").contains("DIFFERS: call_states").doesNotContain("new-secret")
                .doesNotContain("old-secret");

        assertThat(setup("new-secret").setup(false)).isEqualTo(2);
        assertThat(dialpad.webhooks()).hasSize(1);
        assertThat(dialpad.webhooks().get(0).at("/signature/secret").asText()).isEqualTo("new-secret");
        assertThat(dialpad.subscriptions("call")).hasSize(1);
        assertThat(dialpad.subscriptions("call").get(0).get("call_states")).hasSize(STATES.size());
        assertThat(setup("new-secret").setup(false)).isZero();
    }

    @Test
    void should_only_print_the_plan_on_a_dry_run() throws Exception {
        assertThat(setup("s3cret").setup(true)).isEqualTo(5);
        assertThat(out()).contains("would create the webhook " + HOOK).contains("dry run: nothing changed");
        assertThat(dialpad.webhooks()).isEmpty();
        assertThat(writes()).isZero();
    }

    @Test
    void should_wait_out_a_rate_limit() throws Exception {
        dialpad.failNext("/api/v2/webhooks", 429, 1, "1");
        long start = System.nanoTime();
        assertThat(setup("s3cret").setup(false)).isEqualTo(5);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(dialpad.webhooks()).hasSize(1);
    }

    @Test
    void should_refuse_to_set_up_without_a_secret_and_never_print_the_key() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandLineAccess.run(new String[] {"dialpad", "setup", "--hook-url", HOOK},
                java.util.Map.of("dialpad.api.url", dialpad.url(), "dialpad.api-key", DialpadApiStub.KEY,
                        "dialpad.webhook-secret", ""),
                new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DIALPAD_WEBHOOK_SECRET")
                .doesNotContain(DialpadApiStub.KEY);
        assertThat(dialpad.requests()).isEmpty();
    }

    @Test
    void should_set_up_from_the_command_line() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandLineAccess.run(new String[] {"dialpad", "setup", "--hook-url", HOOK},
                java.util.Map.of("dialpad.api.url", dialpad.url(), "dialpad.api-key", DialpadApiStub.KEY,
                        "dialpad.webhook-secret", "cli-secret"),
                new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(dialpad.webhooks()).hasSize(1);
        assertThat(out()).contains("created the webhook").doesNotContain(DialpadApiStub.KEY).doesNotContain("cli-secret");
        assertThat(dialpad.subscriptions("call")).hasSize(1);
    }

    private DialpadSetup setup(String secret) {
        DialpadApi api = new DialpadApi(dialpad.url(), DialpadApiStub.KEY,
                new DialpadApi.Options(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), Duration.ofMillis(20)));
        return new DialpadSetup(api, new DialpadSetup.Expected(HOOK, secret, STATES, false, List.of("shared"), true,
                false), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static int writes() {
        return (int) dialpad.requests().stream().filter(r -> !r.startsWith("GET ")).count();
    }
}
