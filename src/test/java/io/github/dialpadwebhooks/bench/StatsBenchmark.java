package io.github.dialpadwebhooks.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.github.dialpadwebhooks.support.RunningApp;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /stats with a big table: N processed events (several types and apps, every outcome) plus a backlog of 1,000
 * unprocessed ones; prints the median and worst of 50 calls (after 5 warm-up calls).
 */
public final class StatsBenchmark {

    private StatsBenchmark() {
    }

    public static double run(int processedRows) throws Exception {
        System.out.println("stats benchmark: " + processedRows + " processed rows + 1,000 unprocessed");
        System.out.println(Machine.describe());
        TestDatabase.get().truncateAll();
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, received_at, "
                + "processed_at, outcome) SELECT 'app-' || (g % 5), (ARRAY['call.ring','call.started','call.ended',"
                + "'call.recording.completed','sms.received','call.hold'])[1 + g % 6], 'bench-' || g, '{}', "
                + "now() - interval '1 day', now() - interval '1 day', (ARRAY['processed','processed','processed',"
                + "'skipped','dead_lettered'])[1 + g % 5] FROM generate_series(1, " + processedRows + ") g");
        Sql.execute("INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, available_at) "
                + "SELECT 'app-1', 'call.ring', 'pending-' || g, '{}', now() + interval '1 hour' "
                + "FROM generate_series(1, 1000) g");
        Sql.execute("SELECT webhook_event_totals_rebuild()");
        Sql.execute("VACUUM ANALYZE webhook_events");
        RunningApp app = RunningApp.withProperty("processor.enabled", "false");
        app.start();
        try {
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 55; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.managementUri("/stats")).GET());
                double ms = (System.nanoTime() - start) / 1e6;
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"processed\": " + (processedRows / 5 * 3));
                if (i >= 5) {
                    millis.add(ms);
                }
            }
            millis.sort(null);
            double median = millis.get(millis.size() / 2);
            System.out.printf("stats: GET /stats median %.1f ms, worst %.1f ms over 50 calls with %d rows%n", median,
                    millis.get(millis.size() - 1), processedRows + 1000);
            return median;
        } finally {
            app.stop();
            TestDatabase.get().truncateAll();
        }
    }
}
