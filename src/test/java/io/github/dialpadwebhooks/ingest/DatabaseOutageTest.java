package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TcpProxy;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the database cannot take the row the answer is 503 (Dialpad retries), never a 2xx; when it comes back the
 * service accepts events again by itself. The database is taken away with a TCP proxy between the app and it.
 */
class DatabaseOutageTest {

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("database.connection-timeout-ms", "1000").throughProxy();

    @BeforeEach
    void clean() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_answer_503_while_the_database_is_away_and_202_once_it_is_back() {
        assertThat(app.post("/webhooks/dialpad", event(1)).statusCode()).isEqualTo(202);

        app.databaseProxy().cut();
        HttpResponse<String> during = app.post("/webhooks/dialpad", event(2));
        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(RunningApp.json(during).get("error").asText()).isEqualTo("unavailable");
        assertThat(app.post("/webhooks/dialpad", event(3)).statusCode()).isEqualTo(503);

        app.databaseProxy().restore();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> app.post("/webhooks/dialpad", event(4)).statusCode() == 202);

        assertThat(Sql.rows("SELECT payload->>'event_timestamp' AS ts FROM webhook_events ORDER BY received_at"))
                .extracting(r -> r.get("ts")).containsExactly("1", "4");
    }

    private static String event(long timestamp) {
        ObjectNode event = Samples.tree("call-ringing.json");
        event.put("event_timestamp", timestamp);
        return Samples.json(event);
    }
}
