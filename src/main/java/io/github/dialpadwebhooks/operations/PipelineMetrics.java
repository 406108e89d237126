package io.github.dialpadwebhooks.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dialpadwebhooks.processing.BatchOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * The dialpad_* Prometheus metrics (Micrometer, on the management port next to Camel's and the JVM's):
 * <ul>
 * <li>{@code dialpad_webhooks_received_total{outcome, reason}}: accepted, duplicate, rejected (reason = the error
 * code), unavailable (503)</li>
 * <li>{@code dialpad_events_processed_total{event_type, outcome}}: processed, skipped, failed (will be retried),
 * dead_lettered; event_type is one of Dialpad's documented types or {@code other}, so senders cannot grow the label
 * set</li>
 * <li>{@code dialpad_webhooks_previous_secret_total{secret}}: webhooks verified with a previous secret</li>
 * <li>{@code dialpad_event_processing_latency_seconds{event_type}}: received to projected, a histogram</li>
 * <li>{@code dialpad_reconcile_runs_total{status}}, {@code dialpad_reconcile_calls_examined_total},
 * {@code dialpad_reconcile_calls_without_webhook_total} (calls only Dialpad's API knew of: what an outage lost),
 * {@code dialpad_reconcile_api_errors_total}, gauge {@code dialpad_reconcile_last_run_timestamp_seconds}</li>
 * <li>gauges {@code dialpad_events_unprocessed}, {@code dialpad_events_in_flight}, {@code dialpad_events_lag_seconds},
 * {@code dialpad_dead_letters_open}, refreshed from {@code webhook_stats()} by the refresh-pipeline-gauges route</li>
 * </ul>
 */
public final class PipelineMetrics {

    private final CamelContext context;
    private final Set<String> knownEventTypes;
    private final AtomicReference<JsonNode> stats = new AtomicReference<>();
    private volatile double lastReconcileSeconds = Double.NaN;
    private volatile MeterRegistry registry;

    /** @param knownEventTypes the event types labelled as themselves; any other is labelled {@code other} */
    public PipelineMetrics(CamelContext context, Set<String> knownEventTypes) {
        this.context = context;
        this.knownEventTypes = Set.copyOf(knownEventTypes);
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                    if (registry != null) {
                        registerGauges(registry);
                    }
                }
                r = registry;
            }
        }
        return r;
    }

    private void registerGauges(MeterRegistry r) {
        Gauge.builder("dialpad_events_unprocessed", () -> number("unprocessed"))
                .description("Stored events not processed yet (including those waiting for a retry)").register(r);
        Gauge.builder("dialpad_events_in_flight", () -> number("in_flight"))
                .description("Events claimed by an instance right now").register(r);
        Gauge.builder("dialpad_events_lag_seconds", () -> number("lag_seconds"))
                .description("Age of the oldest unprocessed event").baseUnit("seconds").register(r);
        Gauge.builder("dialpad_dead_letters_open", () -> number("dead_letters_open"))
                .description("Dead letters not replayed").register(r);
        Gauge.builder("dialpad_reconcile_last_run_timestamp_seconds", () -> lastReconcileSeconds)
                .description("When this instance's latest reconcile run ended (epoch seconds)").register(r);
    }

    private double number(String field) {
        JsonNode s = stats.get();
        return s == null || !s.has(field) ? Double.NaN : s.get(field).asDouble();
    }

    /** Called by the refresh-pipeline-gauges route with webhook_stats(). */
    public void refresh(JsonNode statsJson) {
        registry();
        stats.set(statsJson);
    }

    /** Called by the ingest routes: outcome accepted / duplicate / rejected / unavailable. */
    public void webhookReceived(String outcome, String reason) {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder("dialpad_webhooks_received").description("Webhooks received, by outcome")
                    .tag("outcome", outcome).tag("reason", reason == null ? "" : reason).register(r).increment();
        }
    }

    /** A webhook verified with a previous secret (during a rotation); {@code secret}: "default" or a configured app. */
    public void previousSecretUsed(String secret) {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder("dialpad_webhooks_previous_secret")
                    .description("Webhooks whose signature matched a previous secret (a rotation in progress)")
                    .tag("secret", secret).register(r).increment();
        }
    }

    /** A reconcile run ended (completed or failed). */
    public void reconcileEnded(io.github.dialpadwebhooks.reconcile.Reconciler.Run run,
            io.github.dialpadwebhooks.reconcile.Reconciler.Run atStart) {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        lastReconcileSeconds = System.currentTimeMillis() / 1000.0;
        Counter.builder("dialpad_reconcile_runs").description("Reconcile runs, by how they ended")
                .tag("status", run.status()).register(r).increment();
        Counter.builder("dialpad_reconcile_calls_examined").description("Call logs listed by Dialpad's API")
                .register(r).increment(run.callsExamined() - atStart.callsExamined());
        Counter.builder("dialpad_reconcile_calls_without_webhook")
                .description("Calls Dialpad's API listed that had never arrived as webhooks").register(r)
                .increment(run.callsWithoutWebhook() - atStart.callsWithoutWebhook());
        Counter.builder("dialpad_reconcile_api_errors")
                .description("Dialpad API answers that were not 2xx (429 and 5xx included) or never came")
                .register(r).increment(run.apiErrors() - atStart.apiErrors());
    }

    /** Called by the processing route once a batch's outcomes are known (just before onConsume records them). */
    public void batchDone(List<Map<String, Object>> claimed, BatchOutcome outcome) {
        MeterRegistry r = registry();
        if (r == null || claimed == null || outcome == null) {
            return;
        }
        Instant now = Instant.now();
        for (Map<String, Object> row : claimed) {
            // a closed set of labels: event types are chosen by senders (envelopes, unknown call states)
            String type = String.valueOf(row.get("event_type"));
            type = knownEventTypes.contains(type) ? type : "other";
            // the claim says whether this was the event's last attempt (attempts_exhausted, R__processing.sql)
            String result = outcome.outcomeOf(row);
            if (result == null) {
                continue;
            }
            Counter.builder("dialpad_events_processed").description("Events handled by the processor, by outcome")
                    .tag("event_type", type).tag("outcome", result).register(r).increment();
            Instant received = BatchOutcome.receivedAt(row);
            if (received != null && (BatchOutcome.PROCESSED.equals(result) || BatchOutcome.SKIPPED.equals(result))) {
                Timer.builder("dialpad_event_processing_latency").description("From received to projected")
                        .tag("event_type", type).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(10))
                        .register(r).record(Duration.between(received, now));
            }
        }
    }
}
