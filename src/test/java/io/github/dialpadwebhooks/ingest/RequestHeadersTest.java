package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpRequest;
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
 * A caller's headers never steer a Camel component: a valid, signed event sent with headers that name camel-sql
 * and HTTP options is stored exactly as normalisation says, answered as usual, and its redelivery (which goes through
 * the camel-sql lookup) too.
 */
class RequestHeadersTest {

    static final String SECRET = "request-headers-secret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET);

    @BeforeEach
    void clean() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_store_a_signed_event_exactly_whatever_camel_headers_the_request_carries() {
        String event = Samples.text("call-ringing.json");
        String body = DialpadSigner.sign(event, SECRET);

        HttpResponse<String> first = app.send(hostile(body));
        HttpResponse<String> again = app.send(hostile(body));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).as("the redelivery, answered through the camel-sql lookup").isEqualTo(200);
        assertThat(RunningApp.json(again).get("id").asText()).isEqualTo(RunningApp.json(first).get("id").asText());
        Map<String, Object> row = Sql.rows("SELECT app_id, event_type, dialpad_event_id, payload::text AS payload, "
                + "payload = CAST(? AS jsonb) AS same_payload FROM webhook_events", event).get(0);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(1);
        assertThat(row.get("app_id")).isEqualTo("default");
        assertThat(row.get("event_type")).isEqualTo("call.ring");
        assertThat(row.get("dialpad_event_id")).isEqualTo("call:5314479320940544:ringing:1731605955966");
        assertThat(row.get("same_payload")).as("payload " + row.get("payload")).isEqualTo(true);
    }

    private static HttpRequest.Builder hostile(String body) {
        return HttpRequest.newBuilder(app.uri("/webhooks/dialpad?CamelSqlQuery=DELETE%20FROM%20webhook_events"))
                .header("CamelSqlQuery", "UPDATE webhook_events SET payload = '{}', event_type = 'x'")
                .header("CamelSqlParameters", "x")
                .header("CamelHttpResponseCode", "500")
                .header("CamelHttpPath", "/somewhere-else")
                .header("CamelSqlRetrieveGeneratedKeys", "true")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
