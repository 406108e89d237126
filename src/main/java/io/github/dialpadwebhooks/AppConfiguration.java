package io.github.dialpadwebhooks;

import io.github.dialpadwebhooks.console.ConsoleBeans;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.db.DatabaseBeans;
import io.github.dialpadwebhooks.http.HttpBeans;
import io.github.dialpadwebhooks.ingest.DialpadEventNormaliser;
import io.github.dialpadwebhooks.ingest.IngestBeans;
import io.github.dialpadwebhooks.operations.OperationsBeans;
import io.github.dialpadwebhooks.operations.PipelineMetrics;
import io.github.dialpadwebhooks.processing.ProcessingBeans;
import io.github.dialpadwebhooks.projections.ProjectionBeans;
import io.github.dialpadwebhooks.reconcile.ReconcileBeans;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Binds what the YAML routes refer to, one concern at a time, in the order they depend on each other. Runs once,
 * before any route starts. (Beans are built here rather than with {@code @BindToRegistry} methods, which Camel 4.18
 * invoked twice: two pools, two migrations.)
 */
public class AppConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        // an unsafe configuration stops here, before any port or database is opened (docs/security.md)
        SafeConfiguration.check(context.getPropertiesComponent()::resolveProperty);
        HttpBeans.bind(context, settings);
        // bound by TracingBeans before camel-main configured its tracer, unless started without Application.create()
        if (context.getRegistry().lookupByName("eventTracing") == null) {
            context.getRegistry().bind("eventTracing", io.github.dialpadwebhooks.tracing.EventTracing.OFF);
        }
        Database database = DatabaseBeans.bind(context, settings, true);
        DialpadEventNormaliser normaliser = IngestBeans.normaliser(settings);
        PipelineMetrics metrics = OperationsBeans.bind(context, settings, database, normaliser.knownEventTypes());
        IngestBeans.bind(context, settings, database, normaliser, metrics);
        ProcessingBeans.bind(context, settings, database);
        ProjectionBeans.bind(context, settings, database);
        ReconcileBeans.bind(context, settings, database, metrics);
        ConsoleBeans.bind(context, settings, database);
        HttpBeans.guard(context, settings, metrics);
        switchRoutes(context, settings);
    }

    /**
     * The routes a setting turns off (ingest.enabled, processor.enabled, retention.enabled) get autoStartup false as
     * their definitions are added, rather than a placeholder in the route's autoStartup, which Camel's YAML DSL schema
     * types as a boolean (RouteFilesTest checks every route file against it). A route not auto-started this way counts
     * as healthy, so readiness stays UP on an ingest-only or worker-only instance.
     */
    static void switchRoutes(CamelContext context, Settings settings) {
        java.util.Set<String> off = new java.util.HashSet<>();
        if (!settings.flag("ingest.enabled", true)) {
            off.add("receive-dialpad-webhook");
            off.add("receive-dialpad-webhook-for-app");
        }
        if (!settings.flag("processor.enabled", true)) {
            off.add("process-webhook-events");
        }
        if (!settings.flag("retention.enabled", true)) {
            off.add("delete-old-events");
        }
        if (off.isEmpty()) {
            return;
        }
        context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                .addModelLifecycleStrategy(new org.apache.camel.model.ModelLifecycleStrategySupport() {
                    @Override
                    public void onAddRouteDefinition(org.apache.camel.model.RouteDefinition route) {
                        if (off.contains(route.getRouteId())) {
                            route.setAutoStartup("false");
                        }
                    }
                });
    }
}
