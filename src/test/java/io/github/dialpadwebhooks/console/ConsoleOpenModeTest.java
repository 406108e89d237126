package io.github.dialpadwebhooks.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.dialpadwebhooks.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without ADMIN_TOKEN the admin API and the console are open to whoever reaches the management port, but a browser
 * on another site still cannot make them act (no cross-site POST).
 */
class ConsoleOpenModeTest {

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("admin.token", "");

    @Test
    void should_show_the_console_without_sign_in_and_say_so() {
        HttpResponse<String> page = app.send(HttpRequest.newBuilder(app.managementUri("/console")).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"overview\"");
        HttpResponse<String> session = app.send(HttpRequest.newBuilder(app.managementUri("/console/session")).GET());
        assertThat(json(session).get("auth").asText()).isEqualTo("open");
    }

    @Test
    void should_refuse_a_cross_site_post_and_allow_a_script_post() {
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .header("Origin", "http://intranet-attacker.example").POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(403);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .header("Sec-Fetch-Site", "same-site").POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).as("another port of the same host is another origin").isEqualTo(403);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .header("Origin", "null").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(app.send(HttpRequest.newBuilder(app.managementUri("/dead-letters/replay?all=true"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
    }
}
