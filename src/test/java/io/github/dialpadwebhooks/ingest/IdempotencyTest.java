package io.github.dialpadwebhooks.ingest;

import java.net.http.HttpResponse;
import java.util.List;

import io.github.dialpadwebhooks.support.Concurrently;
import io.github.dialpadwebhooks.support.DialpadSigner;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Dialpad may deliver one event twice, even concurrently: one row, one 202, every other answer 200 duplicate. */
class IdempotencyTest {

    static final String SECRET = "s3cret";

    @RegisterExtension
    static RunningApp app = RunningApp.withProperty("dialpad.webhook-secret", SECRET);

    @BeforeEach
    void cleanTables() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_store_one_row_and_answer_one_202_for_50_concurrent_deliveries() throws Exception {
        String body = DialpadSigner.sign(Samples.text("call-hangup.json"), SECRET);
        int deliveries = 50;
        List<HttpResponse<String>> responses = Concurrently.run(deliveries,
                i -> app.post("/webhooks/dialpad", body));
        List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
        List<String> ids = responses.stream().map(r -> RunningApp.json(r).get("id").asText()).toList();

        assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(deliveries - 1);
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(Sql.count("SELECT count(*) FROM webhook_events")).isEqualTo(1);
        assertThat(Sql.value("SELECT id::text FROM webhook_events")).isEqualTo(ids.get(0));
    }
}
