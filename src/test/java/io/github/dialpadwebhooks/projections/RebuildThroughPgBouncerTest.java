package io.github.dialpadwebhooks.projections;

import io.github.dialpadwebhooks.support.PgBouncer;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link RebuildTest}'s tests with the instances connected through PgBouncer in transaction mode (docs/deploy.md):
 * the rebuild's reads, progress and swap go through it like every other statement, and its copies' pool, which keeps
 * a search_path, uses database.direct-url.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebuildThroughPgBouncerTest extends RebuildTest {

    PgBouncer bouncer;

    @Override
    RunningApp connect(RunningApp app) throws Exception {
        assumeThat(PgBouncer.isInstalled()).as("pgbouncer is installed (Debian: apt-get install pgbouncer)").isTrue();
        TestDatabase db = TestDatabase.get();
        if (bouncer == null) {
            bouncer = PgBouncer.start(db, 8);
        }
        return app.withDatabaseUrl(bouncer.jdbcUrl(db)).and("database.direct-url", db.jdbcUrl());
    }

    @AfterAll
    void stopBouncer() throws Exception {
        if (bouncer != null) {
            bouncer.close();
        }
    }
}
