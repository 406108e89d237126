package io.github.dialpadwebhooks.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** With no DATABASE_URL the service runs on an embedded PostgreSQL whose data survives a restart. */
class EmbeddedDatabaseTest {

    @Test
    void should_migrate_and_keep_rows_across_restarts_in_the_data_folder(@TempDir Path dataDir) throws Exception {
        Database.Settings settings = new Database.Settings("", dataDir.resolve("pg"), 0, 2, Duration.ofSeconds(5),
                "embedded-test");

        Database first = new Database(settings);
        first.start();
        try (Connection c = first.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload) "
                    + "VALUES ('default', 'call.ring', 'call:1:ringing:1', '{}')");
        } finally {
            first.stop();
        }

        Database second = new Database(settings);
        second.start();
        try (Connection c = second.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT dialpad_event_id, attempts, processed_at FROM webhook_events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("call:1:ringing:1");
            assertThat(rs.getInt(2)).isZero();
            assertThat(rs.getObject(3)).isNull();
            assertThat(rs.next()).isFalse();
        } finally {
            second.stop();
        }
    }
}
