package io.github.dialpadwebhooks.processing;

import io.github.dialpadwebhooks.support.PgBouncer;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link MultiInstanceTest}'s tests with both instances connected through PgBouncer in transaction mode
 * (docs/deploy.md): the pool's statements go through it (no server-side prepared statements, transaction-scoped
 * advisory locks only); the migrations and the wake-up's LISTEN use database.direct-url.
 */
class MultiInstanceThroughPgBouncerTest extends MultiInstanceTest {

    PgBouncer bouncer;

    @Override
    RunningApp connect(RunningApp app) throws Exception {
        assumeThat(PgBouncer.isInstalled()).as("pgbouncer is installed (Debian: apt-get install pgbouncer)").isTrue();
        TestDatabase db = TestDatabase.get();
        if (bouncer == null) {
            // fewer server connections than the two pools hold: transaction pooling has to share them
            bouncer = PgBouncer.start(db, 8);
        }
        return app.withDatabaseUrl(bouncer.jdbcUrl(db)).and("database.direct-url", db.jdbcUrl());
    }

    @Override
    @AfterAll
    void stop() throws Exception {
        super.stop();
        if (bouncer != null) {
            bouncer.close();
        }
    }
}
