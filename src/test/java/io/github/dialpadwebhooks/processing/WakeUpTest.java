package io.github.dialpadwebhooks.processing;

import java.time.Duration;

import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.PgBouncer;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Wake-up (docs/design.md#wake-up): with a poll interval of a minute, an event is still processed at once, whether it
 * was stored by the same instance (woken directly) or by another one (LISTEN/NOTIFY), also with both behind PgBouncer
 * in transaction mode; and when the listener's connection is killed, the poll still processes events and the
 * listener comes back.
 */
class WakeUpTest {

    static final String MINUTE = "60000";

    @BeforeEach
    void empty() {
        TestDatabase.get().truncateAll();
    }

    @Test
    void should_process_an_event_stored_by_the_same_instance_without_waiting_for_the_poll() throws Exception {
        RunningApp app = RunningApp.withProperty("processor.poll-delay-ms", MINUTE);
        app.start();
        try {
            awaitListening(app);
            for (String sample : new String[] {"call-ringing.json", "sms-inbound.json", "call-hangup.json"}) {
                assertThat(app.post("/webhooks/dialpad", Samples.text(sample)).statusCode()).isEqualTo(202);
                Events.awaitAllProcessed(Duration.ofSeconds(5), Duration.ofMillis(10));
            }
            assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'")).isEqualTo(3);
        } finally {
            app.stop();
        }
    }

    @Test
    void should_wake_a_worker_only_instance_when_an_ingest_only_instance_stores_an_event() throws Exception {
        RunningApp ingest = RunningApp.withProperty("processor.enabled", "false");
        RunningApp worker = RunningApp.withProperty("ingest.enabled", "false")
                .and("processor.poll-delay-ms", MINUTE);
        ingest.start();
        worker.start();
        try {
            awaitListening(worker);
            assertThat(ingest.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                    .isEqualTo(202);
            Events.awaitAllProcessed(Duration.ofSeconds(5), Duration.ofMillis(10));
            assertThat(Sql.value("SELECT status FROM calls")).isEqualTo("ringing");
        } finally {
            worker.stop();
            ingest.stop();
        }
    }

    @Test
    void should_wake_a_worker_through_pgbouncer_in_transaction_mode() throws Exception {
        assumeThat(PgBouncer.isInstalled()).as("pgbouncer is installed").isTrue();
        TestDatabase db = TestDatabase.get();
        try (PgBouncer bouncer = PgBouncer.start(db, 4)) {
            // NOTIFY goes through PgBouncer with the ingest's statements; LISTEN needs the direct URL
            RunningApp ingest = RunningApp.withProperty("processor.enabled", "false")
                    .withDatabaseUrl(bouncer.jdbcUrl(db)).and("database.direct-url", db.jdbcUrl());
            RunningApp worker = RunningApp.withProperty("ingest.enabled", "false")
                    .and("processor.poll-delay-ms", MINUTE)
                    .withDatabaseUrl(bouncer.jdbcUrl(db)).and("database.direct-url", db.jdbcUrl());
            ingest.start();
            worker.start();
            try {
                awaitListening(worker);
                for (String sample : new String[] {"call-ringing.json", "call-hangup.json"}) {
                    assertThat(ingest.post("/webhooks/dialpad", Samples.text(sample)).statusCode()).isEqualTo(202);
                    Events.awaitAllProcessed(Duration.ofSeconds(5), Duration.ofMillis(10));
                }
                assertThat(Sql.rows("SELECT status FROM calls ORDER BY status")).extracting(r -> r.get("status"))
                        .containsExactly("ended", "ringing");
            } finally {
                worker.stop();
                ingest.stop();
            }
        }
    }

    @Test
    void should_poll_while_the_listener_is_gone_and_listen_again() throws Exception {
        RunningApp ingest = RunningApp.withProperty("processor.enabled", "false");
        RunningApp worker = RunningApp.withProperty("ingest.enabled", "false")
                .and("processor.poll-delay-ms", "1000")
                .and("database.application-name", "wake-up-test-worker");
        ingest.start();
        worker.start();
        try {
            awaitListening(worker);
            // the listener's session is killed (a failover, a proxy restart): notifications are lost meanwhile
            assertThat(Sql.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'wake-up-test-worker-listen') t")).isEqualTo(1);
            assertThat(ingest.post("/webhooks/dialpad", Samples.text("call-ringing.json")).statusCode())
                    .isEqualTo(202);
            Events.awaitAllProcessed(Duration.ofSeconds(10), Duration.ofMillis(50));
            // and the listener is back, on a new session
            await().atMost(Duration.ofSeconds(10)).until(() -> Sql.count("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE application_name = 'wake-up-test-worker-listen'") == 1);
            awaitListening(worker);
        } finally {
            worker.stop();
            ingest.stop();
        }
    }

    private static void awaitListening(RunningApp app) {
        EventNotifications notifications = app.camelContext().getRegistry()
                .lookupByNameAndType("eventNotifications", EventNotifications.class);
        await().atMost(Duration.ofSeconds(10)).until(notifications::isListening);
    }
}
