package io.github.dialpadwebhooks.http;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link WebhookHttpGuard} in front of the webhook port's {@code /webhooks/*} and {@link ManagementHttpGuard} in
 * front of every path of the management port, and gives both servers an idle-connection timeout, as soon as each
 * exists.
 * <p>
 * Both servers start listening before the routes exist, and Camel raises no event in between: a short-lived watcher
 * thread installs each guard the moment its server's router is there, so that the first request already meets it
 * (a webhook in that gap gets 503, not a 404 that Dialpad would never retry).
 * <p>
 * Camel's platform-http servers take no Vert.x {@link HttpServerOptions}, so the idle timeout is set on the options
 * the server reads for each new connection (a private field of Vert.x's {@code HttpServerImpl}, read once here;
 * {@code BodyLimitsAndTimeoutsTest} fails if a Vert.x upgrade moves it).
 */
public final class HttpGuards extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuards.class);
    private static final String WEBHOOK_PATHS = "/webhooks/*";

    private final WebhookHttpGuard webhook;
    private final ManagementHttpGuard management;
    private final int idleTimeoutSeconds;
    private volatile boolean webhookInstalled;
    private volatile boolean managementInstalled;
    private volatile boolean webhookIdle;
    private volatile boolean managementIdle;

    public HttpGuards(io.github.dialpadwebhooks.operations.PipelineMetrics metrics, long webhookMaxBodyBytes,
            long maxInFlightBytes, boolean adminApiEnabled, boolean tokenRequired, long managementMaxBodyBytes,
            long readTimeoutMs, int idleTimeoutSeconds) {
        this.webhook = new WebhookHttpGuard(metrics, webhookMaxBodyBytes, maxInFlightBytes, readTimeoutMs);
        this.management = new ManagementHttpGuard(adminApiEnabled, tokenRequired, managementMaxBodyBytes,
                readTimeoutMs);
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** Starts the watcher that installs the guards as soon as the servers exist (gives up after two minutes). */
    public void watch(CamelContext context) {
        Thread watcher = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!done() && System.nanoTime() < deadline && !context.isStopping()) {
                install(context);
                if (!done()) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "http-guards");
        watcher.setDaemon(true);
        watcher.start();
    }

    private boolean done() {
        return webhookInstalled && managementInstalled && webhookIdle && managementIdle;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent
                || event instanceof CamelEvent.CamelContextStartedEvent
                || !done() && event instanceof CamelEvent.CamelContextRoutesStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            // from now on every new webhook gets 503 (Dialpad retries it), never a 404 from a removed route
            webhook.stopping();
            return;
        }
        install(((CamelEvent.CamelContextEvent) event).getContext());
        if (event instanceof CamelEvent.CamelContextStartedEvent) {
            webhook.started();
        }
    }

    private synchronized void install(CamelContext context) {
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer() && !webhookInstalled) {
                router.route(WEBHOOK_PATHS).order(-1000).handler(webhook).failureHandler(webhook::failure);
                webhookInstalled = true;
            } else if (router.isManagementServer() && !managementInstalled) {
                router.route().order(-1000).handler(management).failureHandler(management::failure);
                managementInstalled = true;
            }
            HttpServer server = router.getServer() == null ? null : router.getServer().getServer();
            if (server != null) {
                if (router.isMainServer() && !webhookIdle) {
                    webhookIdle = setIdleTimeout(server, idleTimeoutSeconds);
                } else if (router.isManagementServer() && !managementIdle) {
                    managementIdle = setIdleTimeout(server, idleTimeoutSeconds);
                }
            }
        }
    }

    /** Sets the idle timeout new connections of a listening server get; true when done (or impossible). */
    static boolean setIdleTimeout(HttpServer server, int seconds) {
        if (seconds <= 0) {
            return true;
        }
        try {
            Field field = server.getClass().getDeclaredField("options");
            field.setAccessible(true);
            HttpServerOptions options = (HttpServerOptions) field.get(server);
            options.setIdleTimeoutUnit(TimeUnit.SECONDS).setIdleTimeout(seconds);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Could not set the HTTP idle timeout on {} ({}): idle connections stay open",
                    server.getClass().getName(), e.toString());
        }
        return true;
    }
}
