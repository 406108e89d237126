package io.github.dialpadwebhooks.http;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.PlatformHttpListener;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Serves a platform-http route on the management port (health, metrics, admin API, operator console) instead of the
 * webhook port: {@code platform-http:/dead-letters?platformHttpEngine=#managementHttpEngine}. The admin API thus
 * never shares the port Dialpad posts to, which can be exposed to the internet while the management port stays on
 * loopback. What the management port does before a route runs is {@link ManagementHttpGuard}'s.
 * <p>
 * Camel lists every platform-http route under the webhook server in its start-up "HTTP endpoints summary"; the
 * routes made here are moved to the "HTTP Management endpoints summary", where they are served.
 */
public class ManagementHttpEngine extends VertxPlatformHttpEngine {

    private final AtomicBoolean listening = new AtomicBoolean();

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
        PlatformHttpComponent component = endpoint.getComponent();
        if (listening.compareAndSet(false, true)) {
            component.addPlatformHttpListener(new ListedAsManagement(component));
        }
        return new ManagementConsumer(endpoint, processor, router.getName());
    }

    private final class ManagementConsumer extends VertxPlatformHttpConsumer {

        ManagementConsumer(PlatformHttpEndpoint endpoint, Processor processor, String routerName) {
            super(endpoint, processor, getHandlers(), routerName);
        }

        @Override
        protected void doStop() throws Exception {
            getEndpoint().getComponent().removeHttpManagementEndpoint(getEndpoint().getPath());
            super.doStop();
        }
    }

    /** Moves the management routes' entries from the webhook server's endpoint list to the management one. */
    private static final class ListedAsManagement implements PlatformHttpListener {

        private final PlatformHttpComponent component;

        ListedAsManagement(PlatformHttpComponent component) {
            this.component = component;
        }

        @Override
        public void registerHttpEndpoint(HttpEndpointModel model) {
            if (model.getConsumer() instanceof ManagementConsumer) {
                component.removeHttpEndpoint(model.getUri());
                // a second route on the same path (GET and POST /events/reprocess) is listed once
                if (!component.getHttpManagementEndpoints().contains(model)) {
                    component.addHttpManagementEndpoint(model.getUri(), model.getVerbs(), model.getConsumes(),
                            model.getProduces(), model.getConsumer());
                }
            }
        }

        @Override
        public void unregisterHttpEndpoint(HttpEndpointModel model) {
            // nothing to move back
        }
    }
}
