package io.github.dialpadwebhooks.safety;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.dialpadwebhooks.SafeConfiguration.UnsafeConfigurationException;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A configuration that would be unsafe on a shared network stops the start with a message saying what to change. */
class UnsafeConfigurationTest {

    @Test
    void should_refuse_an_admin_token_shorter_than_24_characters() {
        assertRefused(RunningApp.withProperty("admin.token", "short-token-23-chars-xx"),
                "ADMIN_TOKEN (admin.token) has 23 characters; it needs at least 24");
    }

    @Test
    void should_refuse_a_non_loopback_management_host_without_a_token() {
        assertRefused(RunningApp.withProperty("camel.management.host", "0.0.0.0").and("admin.token", ""),
                "MANAGEMENT_HOST (camel.management.host) is '0.0.0.0', which is not a loopback address");
        assertRefused(RunningApp.withProperty("camel.management.host", "::").and("admin.token", ""),
                "is not a loopback address");
    }

    @Test
    void should_refuse_to_require_signatures_when_an_app_would_have_no_secret() {
        assertRefused(RunningApp.withProperty("dialpad.require-signature", "true")
                .and("dialpad.apps.sales.secret", "sales-secret"), "DIALPAD_REQUIRE_SIGNATURE is true");
    }

    @Test
    void should_refuse_a_previous_secret_without_a_current_one() {
        assertRefused(RunningApp.withProperty("dialpad.webhook-previous-secret", "old-secret"),
                "DIALPAD_WEBHOOK_PREVIOUS_SECRET is set but DIALPAD_WEBHOOK_SECRET is empty");
    }

    @Test
    void should_exit_with_status_2_and_a_clear_message_as_a_process() throws Exception {
        Files.deleteIfExists(Path.of("target", "unsafe-start.log"));
        ServiceProcess service = new ServiceProcess("unsafe-start", TestDatabase.get().jdbcUrl())
                .env("MANAGEMENT_HOST", "0.0.0.0").env("ADMIN_TOKEN", "");

        int exit = service.runUntilExit(Duration.ofSeconds(60));

        assertThat(exit).isEqualTo(2);
        assertThat(service.output()).contains("Refusing to start with an unsafe configuration")
                .contains("Set ADMIN_TOKEN, or ADMIN_API_ENABLED=false").doesNotContain("\tat ");
    }

    private static void assertRefused(RunningApp app, String message) {
        try {
            assertThatThrownBy(app::start).satisfies(e -> assertThat(unsafe(e)).as("cause chain of " + e)
                    .isNotNull().extracting(Throwable::getMessage).asString().contains(message));
        } finally {
            try {
                app.stop();
            } catch (Exception ignored) {
                // it never started
            }
        }
    }

    private static UnsafeConfigurationException unsafe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsafeConfigurationException u) {
                return u;
            }
        }
        return null;
    }
}
