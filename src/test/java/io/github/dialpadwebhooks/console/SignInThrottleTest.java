package io.github.dialpadwebhooks.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import io.github.dialpadwebhooks.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Failed console sign-ins are rate-limited per client address: 429 after a burst, until the minute is over. */
class SignInThrottleTest {

    static final String TOKEN = "sign-in-throttle-token-24chars";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", TOKEN)
            .and("console.sign-in-failures-per-minute", "3");

    @Test
    void should_answer_429_after_a_burst_of_failed_sign_ins_from_one_address() {
        for (int i = 0; i < 3; i++) {
            assertThat(login("wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = login(TOKEN);
        assertThat(blocked.statusCode()).as("even the right token, until the minute is over").isEqualTo(429);
        assertThat(json(blocked).get("error").asText()).isEqualTo("too_many_attempts");
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(blocked.headers().firstValue("Set-Cookie")).isEmpty();
        // bearer scripts are not sign-ins: they go on
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/stats"))
                .header("Authorization", "Bearer " + TOKEN).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void should_count_per_address_per_minute_with_a_bounded_map() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SignInThrottle throttle = new SignInThrottle(2, clock);
        throttle.failed("10.0.0.1");
        assertThat(throttle.isBlocked("10.0.0.1")).isFalse();
        throttle.failed("10.0.0.1");
        assertThat(throttle.isBlocked("10.0.0.1")).isTrue();
        assertThat(throttle.isBlocked("10.0.0.2")).as("another address").isFalse();
        now.set(now.get().plusSeconds(59));
        assertThat(throttle.isBlocked("10.0.0.1")).as("same minute").isTrue();
        now.set(now.get().plusSeconds(1));
        assertThat(throttle.isBlocked("10.0.0.1")).as("next minute").isFalse();

        for (int i = 0; i < SignInThrottle.MAX_ADDRESSES + 5_000; i++) {
            throttle.failed("10.1." + (i / 256) + "." + (i % 256));
        }
        assertThat(throttle.isBlocked("192.168.99.99"))
                .as("past the bound, new addresses share one count, which is used up").isTrue();
    }

    private static HttpResponse<String> login(String token) {
        return app.send(HttpRequest.newBuilder(app.managementUri("/console/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")));
    }
}
