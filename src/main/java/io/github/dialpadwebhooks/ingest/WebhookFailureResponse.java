package io.github.dialpadwebhooks.ingest;

import io.github.dialpadwebhooks.Failures;
import io.github.dialpadwebhooks.operations.PipelineMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed ingest into its answer. A {@link WebhookRejectedException} is the caller's fault: its 4xx. A value
 * PostgreSQL refuses as data (SQLSTATE class 22, or 54 "too complex") is bad input too: 400. Anything else means the
 * row may not be committed, so the answer is 503 and Dialpad retries. Never a stack trace, a body or a secret.
 */
public final class WebhookFailureResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFailureResponse.class);

    private final PipelineMetrics metrics;

    public WebhookFailureResponse(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        try {
            respond(exchange);
        } finally {
            VerifyAndNormaliseWebhook.clearLoggingContext();
        }
    }

    private void respond(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the app id comes from the path: logged only when it is a valid one (no control characters in the log)
        String appId = VerifyAndNormaliseWebhook.loggableAppId(exchange.getProperty(VerifyAndNormaliseWebhook.APP_ID,
                String.class));
        if (failure instanceof WebhookRejectedException rejected) {
            LOG.info("Rejected webhook for app '{}': {} {} ({})", appId, rejected.status(), rejected.error(),
                    rejected.detail());
            JsonResponses.error(exchange, rejected.status(), rejected.error(), rejected.detail());
            metrics.webhookReceived("rejected", rejected.error());
            return;
        }
        String sqlState = Failures.sqlState(failure);
        if (sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("54"))) {
            LOG.info("Rejected webhook for app '{}': the database refused its content (SQLSTATE {})", appId,
                    sqlState);
            JsonResponses.error(exchange, 400, "invalid_payload", "the event's JSON cannot be stored");
            metrics.webhookReceived("rejected", "invalid_payload");
            return;
        }
        LOG.warn("Could not store webhook for app '{}', answering 503 so the sender retries: {}", appId,
                Failures.rootMessage(failure));
        JsonResponses.error(exchange, 503, "unavailable", "the event could not be stored; retry later");
        metrics.webhookReceived("unavailable", "database");
    }
}
