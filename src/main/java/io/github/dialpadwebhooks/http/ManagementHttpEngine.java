package io.github.dialpadwebhooks.http;

import java.util.concurrent.atomic.AtomicBoolean;

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
                if (RequestBodies.declaresMoreThan(ctx, MAX_BODY_BYTES)) {
                    RequestBodies.jsonError(ctx, 413, "body_too_large",
                            "admin calls take at most " + MAX_BODY_BYTES + " bytes");
                    return;
                }
                RequestBodies.takeFormBodiesAsBytes(ctx);
                ctx.next();
            });
        }
        return new VertxPlatformHttpConsumer(endpoint, processor, getHandlers(), router.getName());
    }
}
