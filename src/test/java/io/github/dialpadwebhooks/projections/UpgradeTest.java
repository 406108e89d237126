package io.github.dialpadwebhooks.projections;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upgrading loses nothing: contact, agent status and change-log events that an earlier version stored (as
 * dialpad.unknown, or under their own type through an envelope) and marked skipped are projected after the upgrade.
 */
class UpgradeTest {

    static final String SCHEMA = "upgrade_to_the_whole_model";

    @Test
    void should_project_events_an_earlier_version_skipped() throws Exception {
        String url = TestDatabase.get().emptySchema(SCHEMA);
        // the schema of version 7 (its functions do not matter here: repeatable migrations are left out)
        Flyway.configure().dataSource(url, null, null).schemas(SCHEMA).locations("classpath:db/migration")
                .repeatableSqlMigrationPrefix("none-").target("7").load().migrate();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_events (app_id, event_type, "
                        + "dialpad_event_id, payload, processed_at, outcome) VALUES ('default', ?, ?, CAST(? AS jsonb), "
                        + "now(), 'skipped')")) {
            // what version 7 stored: the three families as dialpad.unknown, and a contact event through an envelope
            for (String[] row : new String[][] {
                    {"dialpad.unknown", "sha256:contact", Samples.text("contact-created.json")},
                    {"dialpad.unknown", "sha256:agent", Samples.text("agent-status.json")},
                    {"dialpad.unknown", "sha256:change", Samples.text("change-log.json")},
                    {"contact.updated", "envelope-1", Samples.text("contact-created.json")
                            .replace("5908860123456789", "5908860000000001")},
                    {"dialpad.unknown", "sha256:other", "{\"hello\": \"still unknown\"}"}}) {
                insert.setString(1, row[0]);
                insert.setString(2, row[1]);
                insert.setString(3, row[2]);
                insert.executeUpdate();
            }
        }

        RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", "20").withDatabaseUrl(url);
        app.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count("SELECT count(*) FROM " + SCHEMA
                    + ".webhook_events WHERE processed_at IS NULL") == 0);
        } finally {
            app.stop();
        }
        assertThat(Sql.rows("SELECT dialpad_event_id, event_type, outcome FROM " + SCHEMA + ".webhook_events "
                + "ORDER BY 1")).extracting(r -> r.get("dialpad_event_id") + " " + r.get("event_type") + " "
                        + r.get("outcome")).containsExactly(
                                "envelope-1 contact.updated processed",
                                "sha256:agent agent.status processed",
                                "sha256:change change_log processed",
                                "sha256:contact contact.created processed",
                                "sha256:other dialpad.unknown skipped");
        assertThat(Sql.rows("SELECT dialpad_contact_id FROM " + SCHEMA + ".contacts ORDER BY 1"))
                .extracting(r -> r.get("dialpad_contact_id")).containsExactly("5908860000000001", "5908860123456789");
        assertThat(Sql.value("SELECT on_duty_status FROM " + SCHEMA + ".agents")).isEqualTo("wrapup");
        assertThat(Sql.value("SELECT action FROM " + SCHEMA + ".change_log")).isEqualTo("operator_removed");
    }
}
