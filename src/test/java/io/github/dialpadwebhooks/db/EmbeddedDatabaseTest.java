package io.github.dialpadwebhooks.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import io.github.dialpadwebhooks.support.NetworkAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With no DATABASE_URL the service runs on an embedded PostgreSQL whose data survives a restart, which is durable
 * (a 2xx promises the row survives a crash) and listens on loopback only.
 */
class EmbeddedDatabaseTest {

    @Test
    void should_run_the_embedded_server_durable_and_on_loopback_only(@TempDir Path dataDir) throws Exception {
        Database database = new Database(new Database.Settings("", dataDir.resolve("pg"), 0, 2,
                Duration.ofSeconds(5), "embedded-test"));
        database.start();
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
                try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as(setting).isEqualTo("on");
                }
            }
            try (ResultSet rs = st.executeQuery("SHOW listen_addresses")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("127.0.0.1");
            }
            int port;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('port')::int")) {
                rs.next();
                port = rs.getInt(1);
            }
            InetAddress external = NetworkAddresses.nonLoopback();
            if (external != null) {
                try (Socket socket = new Socket()) {
                    assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external, port), 2000))
                            .as("not reachable on " + external.getHostAddress()).isInstanceOf(IOException.class);
                }
            }
        } finally {
            database.stop();
        }
    }

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
