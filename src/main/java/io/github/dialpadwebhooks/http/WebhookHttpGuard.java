package io.github.dialpadwebhooks.http;

import java.util.concurrent.atomic.AtomicLong;

import io.github.dialpadwebhooks.operations.PipelineMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * What the webhook port does before a request reaches the ingest routes, at the HTTP layer (Camel has no option for
 * these). Installed by {@link HttpGuards} in front of {@code /webhooks/*}.
 * <ul>
 * <li>Until the routes have started, and once the service is stopping, a webhook gets 503 (Dialpad retries), never
 * a 404 (which it would not).</li>
 * <li>The answers that would otherwise come from Vert.x as plain text get the routes' JSON error body: 405 for
 * another method than POST (with {@code Allow: POST}), 413 for a body over the limit, declared or chunked.</li>
 * <li>Memory is bounded whatever senders do: the bodies being received at once may take at most
 * {@code ingest.max-in-flight-bytes} (a declared length counts as itself, a chunked body as the largest allowed);
 * beyond it a webhook gets 503 with {@code Retry-After}. A request whose body trickles in is cut off (408).</li>
 * <li>Dialpad does not document its Content-Type: a form content type would make Vert.x decode the body as form
 * fields, so the body is always taken as raw bytes.</li>
 * </ul>
 */
public final class WebhookHttpGuard implements Handler<RoutingContext> {

    private final PipelineMetrics metrics;
    private final long maxBodyBytes;
    private final long maxInFlightBytes;
    private final long readTimeoutMs;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private volatile boolean started;
    private volatile boolean stopping;

    WebhookHttpGuard(PipelineMetrics metrics, long maxBodyBytes, long maxInFlightBytes, long readTimeoutMs) {
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes <= 0 ? Long.MAX_VALUE : maxBodyBytes;
        this.maxInFlightBytes = maxInFlightBytes;
        this.readTimeoutMs = readTimeoutMs;
    }

    void started() {
        started = true;
    }

    void stopping() {
        stopping = true;
    }

    /** Body bytes reserved by requests being received or answered right now. */
    long inFlightBytes() {
        return inFlightBytes.get();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (stopping || !started) {
            metrics.webhookReceived("unavailable", stopping ? "shutting_down" : "starting");
            RequestBodies.jsonError(ctx, 503, "unavailable", stopping ? "the service is shutting down; retry"
                    : "the service is starting; retry");
            return;
        }
        if (ctx.request().method() != HttpMethod.POST) {
            metrics.webhookReceived("rejected", "method_not_allowed");
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
            RequestBodies.jsonError(ctx, 405, "method_not_allowed", "webhooks are delivered with POST");
            return;
        }
        long declared = RequestBodies.declaredLength(ctx);
        if (declared > maxBodyBytes) {
            metrics.webhookReceived("rejected", "body_too_large");
            RequestBodies.jsonError(ctx, 413, "body_too_large", "the body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        long reserved = declared >= 0 ? declared : Math.min(maxBodyBytes, maxInFlightBytes);
        if (inFlightBytes.addAndGet(reserved) > maxInFlightBytes && reserved > 0) {
            inFlightBytes.addAndGet(-reserved);
            metrics.webhookReceived("unavailable", "busy");
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            RequestBodies.jsonError(ctx, 503, "busy", "too many request bodies in flight; retry");
            return;
        }
        ctx.addEndHandler(done -> inFlightBytes.addAndGet(-reserved));
        RequestBodies.cutOffWhenSlow(ctx, readTimeoutMs);
        RequestBodies.takeFormBodiesAsBytes(ctx);
        ctx.next();
    }

    /** A chunked body over the limit, cut off by Vert.x's body handler: the contract's JSON 413. */
    void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            metrics.webhookReceived("rejected", "body_too_large");
        }
        RequestBodies.jsonFailure(ctx, maxBodyBytes);
    }
}
