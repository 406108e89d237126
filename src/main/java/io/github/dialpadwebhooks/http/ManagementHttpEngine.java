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
 * headers (and a field name that is not a valid header name into a 500), so such bodies are taken as raw bytes; a
 * declared body over 1 MiB gets 413 before it is read.
 */
public class ManagementHttpEngine extends VertxPlatformHttpEngine {

    /** The largest admin request body (a replay of 500 selected ids is ~20 KB). */
    static final long MAX_BODY_BYTES = 1_048_576;

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
                String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                if (length != null && (length.length() > 9 || Long.parseLong("0" + length.replaceAll("[^0-9]", ""))
                        > MAX_BODY_BYTES)) {
                    ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end("{\"error\":\"body_too_large\",\"detail\":\"admin calls take at most "
                                    + MAX_BODY_BYTES + " bytes\"}");
                    return;
                }
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
