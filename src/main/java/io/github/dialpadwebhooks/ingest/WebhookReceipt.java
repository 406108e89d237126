package io.github.dialpadwebhooks.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.dialpadwebhooks.operations.PipelineMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The body of a 2xx answer: {@code {"status": "accepted"|"duplicate", "id": <row uuid>, "dialpad_event_id": ...}}.
 * Reads property {@code ingestStatus}, header {@code storedEventId} and property {@code dialpadEventId}; the route
 * has already chosen the status code.
 */
public final class WebhookReceipt implements Processor {

    private final PipelineMetrics metrics;

    public WebhookReceipt(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Object id = exchange.getMessage().getHeader("storedEventId");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", exchange.getProperty("ingestStatus", String.class));
        body.put("id", id == null ? null : id.toString());
        body.put("dialpad_event_id", exchange.getProperty(VerifyAndNormaliseWebhook.DIALPAD_EVENT_ID, String.class));
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        metrics.webhookReceived((String) body.get("status"), "");
        JsonResponses.write(exchange, status, body);
        VerifyAndNormaliseWebhook.clearLoggingContext();
    }
}
