package io.github.dialpadwebhooks.operations;

import java.net.http.HttpRequest;
import java.time.Duration;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TcpProxy;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service starts while its database is away (the migrations run on a thread of their own and keep trying):
 * alive, not ready, webhooks answered 503; once the database is there the schema is made, readiness turns UP, and a
 * webhook is stored and projected, with no restart.
 */
class StartWithoutDatabaseTest {

    static final String SCHEMA = "start_without_database";

    @Test
    void should_start_not_ready_and_migrate_as_soon_as_the_database_is_there() throws Exception {
        TestDatabase db = TestDatabase.get();
        db.emptySchema(SCHEMA);
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port())) {
            proxy.cut();
            RunningApp app = RunningApp.withProperty("database.connection-timeout-ms", "500")
                    .and("processor.poll-delay-ms", "50")
                    .withDatabaseUrl(db.jdbcUrlVia("127.0.0.1", proxy.port()) + "&currentSchema=" + SCHEMA);
            app.start();
            try {
                assertThat(status(app, "/observe/health/live")).isEqualTo(200);
                assertThat(status(app, "/observe/health/ready")).isEqualTo(503);
                assertThat(app.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                        .isEqualTo(503);
                assertThat(Sql.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                        + SCHEMA + "'")).as("no schema yet").isZero();

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> status(app, "/observe/health/ready") == 200);
                assertThat(app.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                        .isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count("SELECT count(*) FROM " + SCHEMA
                        + ".webhook_events WHERE processed_at IS NOT NULL") == 1);
                assertThat(Sql.count("SELECT count(*) FROM " + SCHEMA + ".calls")).isEqualTo(1);
            } finally {
                app.stop();
            }
        }
    }

    private static int status(RunningApp app, String path) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path)).GET()).statusCode();
    }
}
