package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Dialpad does not document its Content-Type: whatever it is, the raw body is what gets verified and stored. */
class FormContentTypeTest {

    static final String SECRET = "s3cret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET);

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "text/plain",
            "application/jwt", "application/json; charset=utf-8", "application/octet-stream" })
    void should_store_a_signed_event_whatever_the_content_type(String contentType) {
        String event = Samples.text("call-ringing.json");

        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/webhooks/dialpad"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(DialpadSigner.sign(event, SECRET))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE payload = CAST(? AS jsonb)", event))
                .isEqualTo(1);
    }
}
