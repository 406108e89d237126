package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpResponse;
import java.util.Map;

import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no secret configured the service cannot verify anything, so a JWT is treated like unsigned JSON: its claims
 * are stored as the event. Refusing it would lose the event for good (Dialpad never retries a 4xx) while protecting
 * nothing (unsigned JSON is accepted anyway).
 */
class NoSecretTest {

    @RegisterExtension
    static RunningApp app = RunningApp.create();

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_store_the_claims_of_a_jwt_when_no_secret_is_configured() {
        String event = Samples.text("call-hangup.json");

        HttpResponse<String> response = app.post("/webhooks/dialpad", DialpadSigner.sign(event, "some-secret"));

        assertThat(response.statusCode()).isEqualTo(202);
        Map<String, Object> row = Sql.rows("SELECT event_type, payload = CAST(? AS jsonb) AS same FROM webhook_events",
                event).get(0);
        assertThat(row.get("event_type")).isEqualTo("call.ended");
        assertThat(row.get("same")).isEqualTo(true);
    }

    @Test
    void should_store_plain_json_when_no_secret_is_configured() {
        assertThat(app.post("/webhooks/dialpad", Samples.text("sms-inbound.json")).statusCode()).isEqualTo(202);
        assertThat(Sql.value("SELECT event_type FROM webhook_events")).isEqualTo("sms.received");
    }
}
