package io.github.dialpadwebhooks.projections;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * refresh_interactions() runs a live batch on plans made once per connection (R__projections.sql). A plan made while
 * calls was empty (a new database) is still used once calls is large and has no statistics yet, so it must read calls
 * through its indexes, never scan it whole.
 */
class InteractionPlansTest {

    static final String SCHEMA = "interaction_plans";

    @Test
    void should_keep_reading_calls_by_index_after_it_grew_under_plans_made_while_it_was_empty() throws Exception {
        String url = TestDatabase.get().migratedSchema(SCHEMA);
        try (Connection c = DriverManager.getConnection(url)) {
            List<UUID> events = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_events (app_id, event_type, "
                    + "dialpad_event_id, payload) VALUES ('default', 'call.ringing', ?, CAST(? AS jsonb)) RETURNING id")) {
                for (int call = 1; call <= 3; call++) {
                    insert.setString(1, "plans-" + call);
                    insert.setString(2, "{\"call_id\": " + call + ", \"state\": \"ringing\"}");
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        events.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            Array ids = c.createArrayOf("uuid", events.toArray());
            try (Statement st = c.createStatement()) {
                // statistics that say so (autovacuum analyses a new database's tables early)
                st.execute("ANALYZE calls, call_interactions");
            }
            // the plans of this connection, made while calls is empty
            for (int i = 0; i < 3; i++) {
                refresh(c, ids);
            }
            try (Statement st = c.createStatement()) {
                // calls grows (legs linked in pairs, as in a call centre); no ANALYZE since (none runs between two batches)
                st.execute("INSERT INTO calls (app_id, dialpad_call_id, master_call_id, status) "
                        + "SELECT 'default', n, CASE WHEN n % 2 = 0 THEN n - 1 END, 'ended' "
                        + "FROM generate_series(1, 20000) AS n");
            }
            c.setAutoCommit(false);
            refresh(c, ids);
            // this transaction's scans, the refresh's statements included
            Map<String, Long> sequential = new TreeMap<>();
            long byIndex = 0;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT relname, seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE schemaname = '" + SCHEMA
                            + "' AND relname IN ('calls', 'call_interactions')")) {
                while (rs.next()) {
                    sequential.put(rs.getString("relname"), rs.getLong("seq_scan"));
                    byIndex += rs.getLong("idx_scan");
                }
            }
            assertThat(sequential).containsOnly(entry("call_interactions", 0L), entry("calls", 0L));
            assertThat(byIndex).as("the refresh read calls").isPositive();
            c.rollback();
        }
    }

    private static void refresh(Connection c, Array ids) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT refresh_interactions(?)")) {
            ps.setArray(1, ids);
            ps.execute();
        }
    }
}
