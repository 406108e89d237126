package io.github.dialpadwebhooks.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.github.dialpadwebhooks.ops.PipelineMetrics;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two fixes at the HTTP layer, installed on the webhook server's Vert.x router before the routes start.
 * <ul>
 * <li>Dialpad does not document its Content-Type. A form content type would make Vert.x decode the body as form
 * fields (refusing long ones with a bare 400, or keeping nothing for multipart), so on the webhook paths the body is
 * always taken as raw bytes: the content type is replaced by {@code application/octet-stream} before the body
 * handler runs.</li>
 * <li>Once the service is stopping, new webhooks get 503 (Dialpad retries) while the routes finish what they
 * hold.</li>
 * <li>The answers that would otherwise come from Vert.x as plain text get the routes' JSON error body: 405 for
 * another method than POST (with {@code Allow: POST}) and 413 for a declared Content-Length over the limit. (A
 * chunked body over the limit is still cut off by Vert.x's own 413.)</li>
 * </ul>
 */
public final class WebhookHttpGuard extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpGuard.class);

    private final String pathPrefix;
    private final PipelineMetrics metrics;
    private volatile boolean installed;

    public WebhookHttpGuard(String pathPrefix, PipelineMetrics metrics) {
        this.pathPrefix = pathPrefix;
        this.metrics = metrics;
    }

    private volatile boolean started;
    private volatile boolean stopping;

    /**
     * The webhook server starts listening before its routes exist; a webhook in that gap would get a 404, which
     * Dialpad never retries. So the guard is put in front as soon as the server's router exists (a short-lived
     * watcher thread, since Camel raises no event between the two) and answers 503 until the routes have started.
     */
    public void watch(CamelContext context) {
        Thread watcher = new Thread(() -> {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!installed && System.nanoTime() < deadline && !context.isStopping()) {
                install(context);
                if (!installed) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "webhook-http-guard");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent
                || event instanceof CamelEvent.CamelContextStartedEvent
                || !installed && event instanceof CamelEvent.CamelContextRoutesStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            // from now on every new webhook gets 503 (Dialpad retries it), never a 404 from a removed route
            stopping = true;
            return;
        }
        install(((CamelEvent.CamelContextEvent) event).getContext());
        if (event instanceof CamelEvent.CamelContextStartedEvent) {
            started = true;
        }
    }

    private synchronized void install(CamelContext context) {
        if (installed) {
            return;
        }
        // the webhook (main) server's router, whatever port it listens on; not the management server's
        VertxPlatformHttpRouter router = context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst().orElse(null);
        if (router == null) {
            return;
        }
        Long limit = router.getServer() == null ? null : router.getServer().getMaxBodySize();
        long maxBodySize = limit == null || limit <= 0 ? Long.MAX_VALUE : limit;
        router.route(pathPrefix + "*").order(-1000).handler(ctx -> {
            if (stopping || !started) {
                metrics.webhookReceived("unavailable", stopping ? "shutting_down" : "starting");
                RequestBodies.jsonError(ctx, 503, "unavailable", stopping ? "the service is shutting down; retry"
                        : "the service is starting; retry");
            } else {
                guard(ctx, maxBodySize, metrics);
            }
        });
        installed = true;
        LOG.debug("Webhook HTTP guard installed on {}", router.getName());
    }

    private static void guard(RoutingContext ctx, long maxBodySize, PipelineMetrics metrics) {
        if (ctx.request().method() != HttpMethod.POST) {
            metrics.webhookReceived("rejected", "method_not_allowed");
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
            RequestBodies.jsonError(ctx, 405, "method_not_allowed", "webhooks are delivered with POST");
            return;
        }
        if (RequestBodies.declaresMoreThan(ctx, maxBodySize)) {
            metrics.webhookReceived("rejected", "body_too_large");
            RequestBodies.jsonError(ctx, 413, "body_too_large", "the body is larger than " + maxBodySize + " bytes");
            return;
        }
        RequestBodies.takeFormBodiesAsBytes(ctx);
        ctx.next();
    }
}
