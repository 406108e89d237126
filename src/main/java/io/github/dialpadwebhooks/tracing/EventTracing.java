package io.github.dialpadwebhooks.tracing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dialpadwebhooks.ingest.GroupCommitWriter;
import io.github.dialpadwebhooks.ingest.VerifyAndNormaliseWebhook;
import io.github.dialpadwebhooks.processing.BatchOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.camel.Exchange;

/**
 * Joins the two exchanges of a webhook's life in one trace (docs/tracing.md). Ingest and processing never share an
 * exchange: the row in webhook_events is what connects them. So the ingest route stores the W3C traceparent of its
 * span with the row ({@link #stored}), and once a claimed batch's outcomes are known the processing route starts one
 * span per event as a child of that stored context, linked to the batch's own span ({@link #batchDone}): the trace
 * of a webhook then reads received → stored → claimed → projected, and the batch's trace lists every event it held.
 *
 * <p>Span attributes carry ids only (the row id, Dialpad's event id, app, type, outcome): never the payload, a phone
 * number or a header. When tracing is off ({@link #OFF}) both steps do nothing.
 */
public final class EventTracing {

    /** Tracing off: the routes' steps cost a method call. */
    public static final EventTracing OFF = new EventTracing(null);

    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("dialpad.webhook_event.id");
    static final AttributeKey<String> DIALPAD_EVENT_ID = AttributeKey.stringKey("dialpad.event.id");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("dialpad.event.type");
    static final AttributeKey<String> APP_ID = AttributeKey.stringKey("dialpad.app.id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("dialpad.event.outcome");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("dialpad.event.attempt");
    static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private final Tracer tracer;

    EventTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public boolean isEnabled() {
        return tracer != null;
    }

    /**
     * Ingest, before the row is written: the ids of the event on the current (Camel) span, and its traceparent as the
     * exchange property the group-commit writer stores with the row.
     */
    public void stored(Exchange exchange) {
        if (tracer == null) {
            return;
        }
        Span span = Span.current();
        SpanContext context = span.getSpanContext();
        if (!context.isValid()) {
            return;
        }
        span.setAttribute(APP_ID, exchange.getProperty(VerifyAndNormaliseWebhook.APP_ID, String.class));
        span.setAttribute(EVENT_TYPE, exchange.getProperty(VerifyAndNormaliseWebhook.EVENT_TYPE, String.class));
        span.setAttribute(DIALPAD_EVENT_ID,
                exchange.getProperty(VerifyAndNormaliseWebhook.DIALPAD_EVENT_ID, String.class));
        exchange.setProperty(GroupCommitWriter.TRACEPARENT, traceparent(context));
    }

    /**
     * Processing, once the batch's outcomes are known: per claimed event that was stored by a traced request, a span
     * in the event's own trace from the claim (the batch exchange's creation) to now, linked to the batch's span.
     */
    public void batchDone(Exchange exchange, List<Map<String, Object>> claimed, BatchOutcome outcome) {
        if (tracer == null || claimed == null || outcome == null) {
            return;
        }
        SpanContext batch = Span.current().getSpanContext();
        long claimedAt = exchange.getClock().getCreated();
        for (Map<String, Object> row : claimed) {
            SpanContext stored = parse((String) row.get("traceparent"));
            if (stored == null) {
                continue;
            }
            String id = String.valueOf(row.get("id"));
            String result = outcome.outcomeOf(row);
            var builder = tracer.spanBuilder("process dialpad event")
                    .setSpanKind(SpanKind.CONSUMER)
                    .setParent(Context.root().with(Span.wrap(stored)))
                    .setStartTimestamp(claimedAt, TimeUnit.MILLISECONDS)
                    .setAttribute(EVENT_ID, id)
                    .setAttribute(DIALPAD_EVENT_ID, String.valueOf(row.get("dialpad_event_id")))
                    .setAttribute(EVENT_TYPE, String.valueOf(row.get("event_type")))
                    .setAttribute(APP_ID, String.valueOf(row.get("app_id")))
                    .setAttribute(BATCH_SIZE, (long) claimed.size());
            if (row.get("attempts") instanceof Number attempts) {
                builder.setAttribute(ATTEMPT, attempts.longValue());
            }
            if (batch.isValid()) {
                builder.addLink(batch, Attributes.of(BATCH_SIZE, (long) claimed.size()));
            }
            Span span = builder.startSpan();
            Instant received = BatchOutcome.receivedAt(row);
            if (received != null) {
                span.addEvent("stored", Attributes.empty(), received);
            }
            span.addEvent("claimed", Attributes.empty(), claimedAt, TimeUnit.MILLISECONDS);
            if (result != null) {
                span.setAttribute(OUTCOME, result);
                span.addEvent(BatchOutcome.PROCESSED.equals(result) ? "projected" : result);
                if (BatchOutcome.FAILED.equals(result) || BatchOutcome.DEAD_LETTERED.equals(result)) {
                    span.setStatus(StatusCode.ERROR);
                }
            }
            span.end();
        }
    }

    static String traceparent(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    static SpanContext parse(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Matcher m = TRACEPARENT.matcher(traceparent);
        if (!m.matches()) {
            return null;
        }
        SpanContext context = SpanContext.createFromRemoteParent(m.group(1), m.group(2),
                TraceFlags.fromHex(m.group(3), 0), TraceState.getDefault());
        return context.isValid() ? context : null;
    }
}
