package io.github.dialpadwebhooks.processing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.dialpadwebhooks.db.SqlStatements;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the service stops: gives back the events this instance claimed but did not finish (a batch cut short by the
 * shutdown timeout), claimable again at once, the unfinished attempt not counted (sql/processing/release-claims.sql).
 * Added to Camel after the database, so it stops before the pool closes.
 */
public final class ClaimRelease extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimRelease.class);
    private static final String RELEASE = SqlStatements.load("processing/release-claims.sql");

    private final Supplier<DataSource> dataSource;
    private final String instanceId;

    public ClaimRelease(Supplier<DataSource> dataSource, String instanceId) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
    }

    @Override
    protected void doStop() {
        DataSource pool = dataSource.get();
        if (pool == null) {
            return;
        }
        try (Connection c = pool.getConnection(); PreparedStatement release = c.prepareStatement(RELEASE)) {
            release.setString(1, instanceId);
            int released = release.executeUpdate();
            if (released > 0) {
                LOG.info("Released {} claimed event(s) this instance did not finish", released);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not release this instance's claims (they expire with their lease): {}", e.getMessage());
        }
    }
}
