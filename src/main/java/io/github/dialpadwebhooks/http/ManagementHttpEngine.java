package io.github.dialpadwebhooks.http;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.http.HttpHeaders;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Serves a platform-http route on the management port (health, metrics, admin API, operator console) instead of the
 * webhook port: {@code platform-http:/dead-letters?platformHttpEngine=#managementHttpEngine}. The admin API thus
 * never shares the port Dialpad posts to, which can be exposed to the internet while the management port stays
 * internal.
 * <p>
 * The admin API speaks JSON only: a form or multipart content type would make Vert.x decode the body into request
 * headers (and a field name that is not a valid header name into a 500), so such bodies are taken as raw bytes.
 */
public class ManagementHttpEngine extends VertxPlatformHttpEngine {

    private final AtomicBoolean guarded = new AtomicBoolean();

    @Override
    protected void doInit() {
        // unlike the default engine, do not register as the platform-http engine of every route
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        VertxPlatformHttpRouter router = getCamelContext().getRegistry().findByType(VertxPlatformHttpRouter.class)
                .stream().filter(VertxPlatformHttpRouter::isManagementServer).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no management server: set camel.management.enabled=true for " + endpoint.getPath()));
        if (guarded.compareAndSet(false, true)) {
            router.route().order(-1000).handler(ctx -> {
                String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
                String lower = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
                if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
                    ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
                }
                ctx.next();
            });
        }
        return new VertxPlatformHttpConsumer(endpoint, processor, getHandlers(), router.getName());
    }
}
