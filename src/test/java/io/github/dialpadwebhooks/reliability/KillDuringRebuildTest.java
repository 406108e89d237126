package io.github.dialpadwebhooks.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 in the middle of a projection rebuild: the served tables stay whole and in service, and POSTing the rebuild
 * again on the restarted service resumes it from its cursor and swaps the copy in.
 */
class KillDuringRebuildTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void should_leave_the_served_table_whole_and_resume_after_a_sigkill() throws Exception {
        TestDatabase.get().truncateAll();
        Sql.execute("TRUNCATE projection_rebuilds");
        ServiceProcess service = new ServiceProcess("kill-during-rebuild", TestDatabase.get().jdbcUrl())
                .env("PROCESSOR_POLL_DELAY_MS", "20")
                .env("REBUILD_BATCH_SIZE", "5")
                .env("REBUILD_LEASE_SECONDS", "1");
        service.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(service::ready);
            for (long call = 1; call <= 300; call++) {
                String body = Fixtures.call(call).state("hangup").at(1_731_600_000_000L + call)
                        .set("date_ended", 1_731_600_000_000L + call).json();
                assertThat(send(HttpRequest.newBuilder(service.uri("/webhooks/dialpad"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(202);
            }
            Events.awaitAllProcessed();
            assertThat(rebuild(service).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                    .until(() -> Sql.count("SELECT count(*) FROM projection_rebuilds WHERE done >= 20") == 1);
            try (Connection blocker = TestDatabase.get().connect(); Statement st = blocker.createStatement()) {
                // the rebuild's next batch waits on this lock: the kill lands in the middle of the rebuild
                st.execute("SELECT pg_advisory_lock(hashtext('rebuild_calls.call_interactions'))");
                service.kill9();
                st.execute("SELECT pg_advisory_unlock_all()");
            }
            assertThat(Sql.value("SELECT status FROM projection_rebuilds")).isEqualTo("running");
            assertThat(Sql.count("SELECT count(*) FROM calls")).as("the served table is whole").isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM call_interactions")).isEqualTo(300);

            service.start();
            await().atMost(Duration.ofSeconds(60)).until(service::ready);
            assertThat(send(HttpRequest.newBuilder(service.managementUri("/calls/7")).GET()).statusCode())
                    .as("the served table answers after the crash").isEqualTo(200);
            // once the dead instance's lease (1 s) has expired, the rebuild is resumed, not started again
            await().atMost(Duration.ofSeconds(10)).until(() -> rebuild(service).statusCode() == 202);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    "completed".equals(Sql.value("SELECT status FROM projection_rebuilds")));
            assertThat(Sql.count("SELECT count(*) FROM projection_rebuilds")).isEqualTo(1);
            assertThat(Sql.count("SELECT count(*) FROM calls")).isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM call_interactions")).isEqualTo(300);
            assertThat(Sql.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'rebuild_calls'")).isZero();
        } finally {
            service.stop();
        }
    }

    private static HttpResponse<String> rebuild(ServiceProcess service) {
        return send(HttpRequest.newBuilder(service.managementUri("/projections/calls/rebuild"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
