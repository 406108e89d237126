package io.github.dialpadwebhooks.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.dialpadwebhooks.support.Fixtures;
import io.github.dialpadwebhooks.support.Events;
import io.github.dialpadwebhooks.support.ServiceProcess;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three service processes on one database drain a backlog: every row is right, and the number of events applied
 * more than once is reported (an event is applied again only if its claim was taken back after a lease expired).
 * Size: -Dreliability.instances.events (default 3,000 in mvn test; 20,000 with -Preliability).
 */
class ThreeInstancesTest {

    @Test
    void should_drain_with_three_processes_and_every_row_right() throws Exception {
        int calls = Integer.getInteger("reliability.instances.events", 3000) / 5;
        TestDatabase.get().truncateAll();
        List<ServiceProcess> services = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ServiceProcess service = new ServiceProcess("instance-" + i, TestDatabase.get().jdbcUrl())
                    .env("PROCESSOR_BATCH_SIZE", "200").env("PROCESSOR_POLL_DELAY_MS", "20");
            service.start();
            services.add(service);
        }
        try {
            List<Events.Event> events = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                long callId = 7_950_000_000_000_000L + i;
                long t = 1_731_600_000_000L + i * 1000L;
                String external = "+1555" + i;
                java.util.function.BiFunction<String, Long, Fixtures> call = (state, at) -> Fixtures.call(callId)
                        .state(state).at(at).set("direction", "outbound").numbers(external, "+15550002")
                        .set("date_started", t);
                events.add(call.apply("hangup", t + 900).set("date_connected", t + 100).set("date_ended", t + 900)
                        .set("duration", 800).event("default", "call.ended", "e" + i));
                events.add(call.apply("calling", t).event("default", "call.ring", "r" + i));
                events.add(call.apply("connected", t + 100).set("date_connected", t + 100)
                        .event("default", "call.started", "s" + i));
                events.add(call.apply("recording", t + 950)
                        .setJson("recording_details", "[{\"url\":\"https://dialpad.example/r/" + i + "\"}]")
                        .event("default", "call.recording.completed", "c" + i));
                events.add(call.apply("hold", t + 500).event("default", "call.hold", "h" + i));
            }
            Events.insert(events);
            long start = System.nanoTime();
            Events.awaitAllProcessed(Duration.ofMinutes(5), Duration.ofMillis(200));
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(Sql.count("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'"))
                    .isEqualTo(calls * 5L);
            Map<String, Object> check = Sql.rows("SELECT count(*) AS calls, count(*) FILTER (WHERE status = 'ended' "
                    + "AND from_number = '+15550002' AND to_number LIKE '+1555%' AND answered_at - started_at = "
                    + "interval '100 ms' AND ended_at - started_at = interval '900 ms' AND duration_ms = 800 "
                    + "AND recording_url LIKE 'https://dialpad.example/r/%' AND last_state = 'recording') AS correct "
                    + "FROM calls").get(0);
            assertThat(check.get("calls")).isEqualTo((long) calls);
            assertThat(check.get("correct")).isEqualTo((long) calls);
            long instancesUsed = Sql.count("SELECT count(DISTINCT claimed_by) FROM webhook_events");
            long appliedTwice = Sql.count("SELECT count(*) FROM webhook_events WHERE attempts > 1");
            assertThat(instancesUsed).isGreaterThanOrEqualTo(2);
            // no lease expires during the run, so no event may be claimed twice (the README's "0 applied more than
            // once")
            assertThat(appliedTwice).as("events applied more than once").isZero();
            System.out.printf("three instances: %d events drained in %.1f s (%.0f events/s) by %d instances; "
                    + "%d applied more than once; every row right%n", calls * 5, seconds, calls * 5 / seconds,
                    instancesUsed, appliedTwice);
        } finally {
            for (ServiceProcess s : services) {
                assertThat(s.stop()).isZero();
            }
        }
    }
}
