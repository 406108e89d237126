package io.github.dialpadwebhooks.safety;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apps are tenants: the same Dialpad call or SMS id in two apps gives two rows, each built from its own app's
 * events only; and an installation whose rows were merged across apps is mended by the migration.
 */
class TenantIsolationTest {

    static final long CALL = 7_990_000_000_000_001L;
    static final long SMS = 8_990_000_000_000_001L;

    @Test
    void should_keep_one_row_per_app_for_the_same_call_and_message_ids() throws Exception {
        TestDatabase.get().truncateAll();
        RunningApp app = RunningApp.withProperty("admin.token", "").and("processor.poll-delay-ms", "20");
        app.start();
        try {
            assertThat(app.post("/webhooks/dialpad/alpha", call("ringing", 1_000, "+15550001")).statusCode())
                    .isEqualTo(202);
            assertThat(app.post("/webhooks/dialpad/beta", call("connected", 2_000, "+15559999")).statusCode())
                    .isEqualTo(202);
            assertThat(app.post("/webhooks/dialpad/beta", call("hangup", 3_000, "+15559999")).statusCode())
                    .isEqualTo(202);
            assertThat(app.post("/webhooks/dialpad/alpha", sms("alpha's text")).statusCode()).isEqualTo(202);
            assertThat(app.post("/webhooks/dialpad/beta", sms("beta's text")).statusCode()).isEqualTo(202);
            Events.awaitAllProcessed(Duration.ofSeconds(20));

            Map<String, Object> alpha = Sql.rows("SELECT * FROM calls WHERE app_id = 'alpha'").get(0);
            Map<String, Object> beta = Sql.rows("SELECT * FROM calls WHERE app_id = 'beta'").get(0);
            assertThat(Sql.count("SELECT count(*) FROM calls WHERE dialpad_call_id = ?", CALL)).isEqualTo(2);
            assertThat(alpha.get("status")).isEqualTo("ringing");
            assertThat(alpha.get("from_number")).isEqualTo("+15550001");
            assertThat(alpha.get("answered_at")).isNull();
            assertThat(beta.get("status")).isEqualTo("ended");
            assertThat(beta.get("from_number")).isEqualTo("+15559999");
            assertThat(Sql.rows("SELECT app_id, text FROM messages WHERE dialpad_message_id = ? ORDER BY app_id", SMS))
                    .extracting(r -> r.get("app_id") + ":" + r.get("text"))
                    .containsExactly("alpha:alpha's text", "beta:beta's text");

            JsonNode detail = RunningApp.json(app.send(HttpRequest.newBuilder(
                    app.managementUri("/calls/" + CALL + "?app_id=beta")).GET()));
            assertThat(detail.get("call").get("app_id").asText()).isEqualTo("beta");
            assertThat(detail.get("events")).hasSize(2);
            JsonNode both = RunningApp.json(app.send(HttpRequest.newBuilder(app.managementUri("/calls/" + CALL)).GET()));
            assertThat(both.get("calls")).hasSize(2);
            assertThat(both.get("events")).hasSize(3);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_rebuild_rows_an_older_version_merged_across_apps_when_migrating() throws Exception {
        String schema = "tenant_migration";
        String url = TestDatabase.get().emptySchema(schema);
        Flyway.configure().dataSource(url, null, null).schemas(schema).locations("classpath:db/migration")
                .repeatableSqlMigrationPrefix("none-").target("6").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement st = c.createStatement()) {
            // what version 6 made of two apps' events for one call id and one SMS id: one merged row each
            st.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, processed_at, "
                    + "outcome) VALUES "
                    + "('alpha', 'call.ring', 'a1', '" + call("ringing", 1_000, "+15550001") + "', now(), 'processed'),"
                    + "('beta', 'call.ended', 'b1', '" + call("hangup", 3_000, "+15559999") + "', now(), 'processed'),"
                    + "('alpha', 'sms.received', 'a2', '" + sms("alpha's text").replace("'", "''")
                    + "', now(), 'processed'),"
                    + "('beta', 'sms.received', 'b2', '" + sms("beta's text").replace("'", "''")
                    + "', now(), 'processed'),"
                    + "('alpha', 'call.ring', 'a3', '{\"call_id\":42,\"state\":\"ringing\"}', now(), 'processed')");
            st.execute("INSERT INTO calls (app_id, dialpad_call_id, status, from_number) VALUES "
                    + "('alpha', " + CALL + ", 'ended', '+15550001'), ('alpha', 42, 'ringing', NULL)");
            st.execute("INSERT INTO messages (app_id, dialpad_message_id, text) VALUES ('alpha', " + SMS
                    + ", 'alpha''s text')");
        }

        Flyway.configure().dataSource(url, null, null).schemas(schema).locations("classpath:db/migration").load()
                .migrate();

        List<Map<String, Object>> requeued = Sql.rows("SELECT dialpad_event_id FROM " + schema + ".webhook_events "
                + "WHERE processed_at IS NULL ORDER BY 1");
        assertThat(requeued).extracting(r -> r.get("dialpad_event_id")).containsExactly("a1", "a2", "b1", "b2");
        assertThat(Sql.count("SELECT count(*) FROM " + schema + ".calls")).as("the call of one app is kept")
                .isEqualTo(1);
        assertThat(Sql.count("SELECT count(*) FROM " + schema + ".messages")).isZero();

        // the service then projects the queued events, each into its own app's row
        RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20").withDatabaseUrl(url);
        app.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count("SELECT count(*) FROM " + schema
                    + ".webhook_events WHERE processed_at IS NULL") == 0);
        } finally {
            app.stop();
        }
        assertThat(Sql.rows("SELECT app_id, status, from_number FROM " + schema + ".calls WHERE dialpad_call_id = ? "
                + "ORDER BY app_id", CALL)).extracting(r -> r.get("app_id") + ":" + r.get("status") + ":"
                        + r.get("from_number")).containsExactly("alpha:ringing:+15550001", "beta:ended:+15559999");
        assertThat(Sql.rows("SELECT app_id, text FROM " + schema + ".messages ORDER BY app_id"))
                .extracting(r -> r.get("app_id") + ":" + r.get("text"))
                .containsExactly("alpha:alpha's text", "beta:beta's text");
    }

    private static String call(String state, long t, String external) {
        return Fixtures.call(CALL).state(state).at(1_731_600_000_000L + t).numbers(external, "+15550002")
                .set("date_started", 1_731_600_000_000L).json();
    }

    private static String sms(String text) {
        return Fixtures.sms(SMS).set("text", text).json();
    }
}
