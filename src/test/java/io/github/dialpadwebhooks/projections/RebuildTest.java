package io.github.dialpadwebhooks.projections;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import io.github.dialpadwebhooks.support.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.dialpadwebhooks.support.RunningApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebuilding a projection after its merge rule changed: every row is recomputed under the new rule, from the stored
 * events through the current routes, while a sender's webhooks keep arriving and all land in the new table; a
 * rebuild cut off by a stop resumes, and the served table stays whole meanwhile.
 */
class RebuildTest {

    static final long T = 1_731_600_000_000L;

    @Test
    void should_recompute_every_row_under_the_new_rule_while_events_keep_arriving(@TempDir Path work) throws Exception {
        TestDatabase.get().truncateAll();
        Path routes = work.resolve("routes");
        TestFiles.copyTree(Path.of("routes"), routes);

        // the old rule: calls as shipped
        RunningApp before = app(routes, "2000");
        before.start();
        try {
            for (long call = 1; call <= 200; call++) {
                post(before, call);
            }
            Events.awaitAllProcessed();
        } finally {
            before.stop();
        }
        assertThat(Sql.count("SELECT count(*) FROM calls WHERE direction = 'inbound'")).isEqualTo(200);

        // the new rule: direction in upper case. A merge never undoes itself: the stored rows keep the old value
        Path calls = work.resolve("calls.sql");
        Files.writeString(calls, Files.readString(Path.of("src/main/resources/sql/projections/calls.sql"))
                .replace("SELECT app_id, dialpad_call_id, min(direction),", "SELECT app_id, dialpad_call_id, upper(min(direction)),"));
        assertThat(Files.readString(calls)).contains("upper(min(direction))");
        Path route = routes.resolve("projections/project-calls.camel.yaml");
        Files.writeString(route, Files.readString(route).replace("sql:classpath:sql/projections/calls.sql",
                "sql:file:" + calls.toAbsolutePath()));
        RunningApp after = app(routes, "20");
        after.start();
        try {
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (long call = 1001; call <= 1100; call++) {
                    post(after, call);
                    sent.incrementAndGet();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() >= 10);
            JsonNode rebuild = json(admin(after, "POST", "/projections/calls/rebuild", 202));
            assertThat(rebuild.get("projection").asText()).isEqualTo("calls");
            assertThat(admin(after, "POST", "/projections/calls/rebuild", 409).body()).contains("rebuild_in_progress");
            // readers never see the table empty: every poll finds at least the 200 old rows
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                assertThat(Sql.count("SELECT count(*) FROM calls")).isGreaterThanOrEqualTo(200);
                return "completed".equals(Sql.value("SELECT status FROM projection_rebuilds WHERE id = ?",
                        rebuild.get("id").asLong()));
            });
            sender.get();
            Events.awaitAllProcessed();

            assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM calls WHERE direction = 'INBOUND'"))
                    .as("every row under the new rule, the old ones and the sender's").isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM call_interactions")).isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild%'")).isZero();
            assertThat(Sql.count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'calls' "
                    + "AND indexname = 'calls_created_at'")).as("the served table's index names are kept").isEqualTo(1);
            // the console's queries still work (their functions took the old table's row type)
            admin(after, "GET", "/calls/1001", 200);
            JsonNode list = json(admin(after, "GET", "/projections/rebuilds", 200)).get("items");
            assertThat(list.get(0).get("status").asText()).isEqualTo("completed");
            assertThat(list.get(0).get("done").asLong()).isGreaterThanOrEqualTo(200);
            assertThat(json(admin(after, "GET", "/audit-log", 200)).get("items"))
                    .extracting(a -> a.get("action").asText()).contains("rebuild-projection");
        } finally {
            after.stop();
        }
    }

    @Test
    void should_resume_a_rebuild_cut_off_by_a_stop_and_keep_the_served_table_whole(@TempDir Path work)
            throws Exception {
        TestDatabase.get().truncateAll();
        Sql.execute("TRUNCATE projection_rebuilds");
        Path routes = work.resolve("routes");
        TestFiles.copyTree(Path.of("routes"), routes);
        RunningApp first = app(routes, "5").and("rebuild.lease-seconds", "1");
        first.start();
        long id;
        try {
            for (long call = 1; call <= 300; call++) {
                post(first, call);
            }
            Events.awaitAllProcessed();
            id = json(admin(first, "POST", "/projections/calls/rebuild", 202)).get("id").asLong();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                    .until(() -> Sql.count("SELECT count(*) FROM projection_rebuilds WHERE done >= 20") == 1);
            // the rebuild's next batch now waits (its copy's interactions refresh needs this lock): the instance
            // stops in the middle of the rebuild
            try (Connection blocker = TestDatabase.get().connect(); Statement st = blocker.createStatement()) {
                st.execute("SELECT pg_advisory_lock(hashtext('rebuild_calls.call_interactions'))");
                first.stop();
                assertThat(Sql.value("SELECT status FROM projection_rebuilds WHERE id = ?", id))
                        .isNotEqualTo("completed");
                assertThat(Sql.count("SELECT count(*) FROM calls")).as("the served table is whole").isEqualTo(300);
                st.execute("SELECT pg_advisory_unlock_all()");
            }
        } finally {
            first.stop();
        }

        RunningApp second = app(routes, "50");
        second.start();
        try {
            long done = (Long) Sql.value("SELECT done FROM projection_rebuilds WHERE id = ?", id);
            await().atMost(Duration.ofSeconds(5)).until(() -> admin(second, "POST", "/projections/calls/rebuild")
                    .statusCode() == 202);
            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
                    Sql.value("SELECT status FROM projection_rebuilds WHERE id = ?", id)));
            assertThat(Sql.count("SELECT count(*) FROM projection_rebuilds")).as("the same rebuild, resumed")
                    .isEqualTo(1);
            assertThat((Long) Sql.value("SELECT done FROM projection_rebuilds WHERE id = ?", id))
                    .isGreaterThanOrEqualTo(done);
            assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM call_interactions")).isEqualTo(300);
        } finally {
            second.stop();
        }
    }

    private RunningApp app(Path routes, String batchSize) throws Exception {
        return connect(RunningApp.withProperty("camel.main.routes-include-pattern",
                        "file:" + routes.toAbsolutePath() + "/**/*.camel.yaml")
                .and("processor.poll-delay-ms", "20")
                .and("rebuild.batch-size", batchSize));
    }

    /** How an instance reaches the database: directly here, through PgBouncer in RebuildThroughPgBouncerTest. */
    RunningApp connect(RunningApp app) throws Exception {
        return app;
    }

    private static void post(RunningApp app, long call) {
        String body = Fixtures.call(call).state("hangup").at(T + call).set("date_started", T + call - 60_000)
                .set("date_ended", T + call).set("direction", "inbound").json();
        assertThat(app.post("/webhooks/dialpad", body).statusCode()).isEqualTo(202);
    }

    private static HttpResponse<String> admin(RunningApp app, String method, String path) {
        return app.send(HttpRequest.newBuilder(app.managementUri(path))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> admin(RunningApp app, String method, String path, int status) {
        HttpResponse<String> response = admin(app, method, path);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response;
    }
}
