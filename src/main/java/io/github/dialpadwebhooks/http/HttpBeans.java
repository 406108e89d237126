package io.github.dialpadwebhooks.http;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.operations.PipelineMetrics;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * The two HTTP servers: the header policy of every route, the engine that puts admin routes on the management port,
 * the guards in front of both (docs/security.md), and Vert.x's worker pool.
 */
public final class HttpBeans {

    private HttpBeans() {
    }

    /** Before the routes exist: what their endpoints refer to. */
    public static void bind(CamelContext context, Settings settings) {
        context.getRegistry().bind("responseHeaderPolicy", new ResponseHeaderPolicy());
        context.getRegistry().bind("managementHttpEngine", new ManagementHttpEngine());
        // Vert.x runs each request's route on a worker thread, which waits for its row's group commit: enough
        // workers let the concurrent requests form large groups
        context.getRegistry().bind("vertxOptions",
                new VertxOptions().setWorkerPoolSize(settings.integer("ingest.worker-threads", 64)));
        // the management server's body limit has no property: set on the server camel-main has just made (its
        // body handlers are created with the routes, later)
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null) {
            management.setMaxBodySize(settings.number("management.max-body-bytes", 1_048_576));
        }
    }

    /** The guards, installed on each server as soon as it exists. */
    public static void guard(CamelContext context, Settings settings, PipelineMetrics metrics) {
        HttpGuards guards = new HttpGuards(metrics,
                settings.number("camel.server.max-body-size", 1_048_576),
                settings.number("ingest.max-in-flight-bytes", 33_554_432),
                settings.flag("admin.api-enabled", true),
                settings.value("admin.token").isPresent(),
                settings.number("management.max-body-bytes", 1_048_576),
                settings.number("http.request-read-timeout-ms", 10_000),
                settings.integer("http.idle-timeout-seconds", 60));
        context.getManagementStrategy().addEventNotifier(guards);
        guards.watch(context);
    }
}
