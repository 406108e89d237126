package io.github.dialpadwebhooks.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/** The day partitions of webhook_events (V12, docs/partitioning.md) as tests and benchmarks need them. */
public final class DayPartitions {

    private DayPartitions() {
    }

    /** The partition of one UTC day: webhook_events_YYYYMMDD (event_partition_name() in R__event_log.sql). */
    public static String name(LocalDate day) {
        return "webhook_events_" + day.toString().replace("-", "");
    }

    /**
     * As if the database at url had been migrated to day partitions on that day: webhook_event_log.days_from and the
     * default partition's CHECK moved to it (the default partition must hold nothing from that day on), so that
     * create_event_partition() may make the days since.
     */
    public static void startAt(String url, LocalDate day) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE webhook_events_default DROP CONSTRAINT webhook_events_default_before_days");
            st.execute("UPDATE webhook_event_log SET days_from = TIMESTAMPTZ '" + day + " 00:00:00+00'");
            st.execute("ALTER TABLE webhook_events_default ADD CONSTRAINT webhook_events_default_before_days "
                    + "CHECK (received_at < TIMESTAMPTZ '" + day + " 00:00:00+00')");
        }
    }
}
