package io.github.dialpadwebhooks.http;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Serves a platform-http route on the management port (health, metrics, admin API) instead of the webhook port:
 * {@code platform-http:/dead-letters?platformHttpEngine=#managementHttpEngine}. The admin API thus never shares the
 * port Dialpad posts to, which can be exposed to the internet while the management port stays internal.
 */
public class ManagementHttpEngine extends VertxPlatformHttpEngine {

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
        return new VertxPlatformHttpConsumer(endpoint, processor, getHandlers(), router.getName());
    }
}
