package io.github.dialpadwebhooks.operations;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import io.github.dialpadwebhooks.db.Database;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while the database is unreachable or the migrations have not run, UP again by itself when it
 * returns. (Liveness does not depend on the database: a restart would not bring it back.)
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final Database database;

    public DatabaseHealthCheck(Database database) {
        super("dialpad", "database");
        this.database = database;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!database.isMigrated()) {
            builder.message("the database has not been reached yet: migrations have not run").down();
            return;
        }
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1 FROM webhook_events LIMIT 0");
            builder.up();
        } catch (Exception e) {
            builder.message("the database is unreachable: " + e.getMessage()).error(e).down();
        }
    }
}
