package io.github.dialpadwebhooks.reconcile;

import java.time.Duration;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.dialpad.DialpadApi;
import io.github.dialpadwebhooks.dialpad.DialpadApiKeys;
import io.github.dialpadwebhooks.operations.PipelineMetrics;
import org.apache.camel.CamelContext;

/** The reconciler the reconcile routes call ({@code reconciler}), and {@code reconcile.enabled} for /stats. */
public final class ReconcileBeans {

    private ReconcileBeans() {
    }

    public static Reconciler bind(CamelContext context, Settings settings, Database database, PipelineMetrics metrics) {
        Reconciler reconciler = create(settings, database, settings.text("processor.instance-id", "instance"),
                metrics::reconcileEnded);
        // the stats statement reads it; off unless an API key is configured
        settings.properties().addOverrideProperty("reconcile.enabled", Boolean.toString(reconciler.isEnabled()));
        context.getRegistry().bind("reconciler", reconciler);
        return reconciler;
    }

    /** Also used by the command line ({@code reconcile --since}), without Camel routes. */
    public static Reconciler create(Settings settings, Database database, String owner, Reconciler.Listener listener) {
        return new Reconciler(database.dataSource(), apiKeys(settings), key -> api(settings, key),
                new Reconciler.Settings(
                        Duration.ofSeconds(settings.number("reconcile.interval-seconds", 300)),
                        Duration.ofSeconds(settings.number("reconcile.overlap-seconds", 3600)),
                        Duration.ofHours(settings.number("reconcile.first-run-lookback-hours", 24)),
                        Duration.ofSeconds(settings.number("reconcile.lease-seconds", 300)),
                        settings.flag("reconcile.contacts", true),
                        settings.integer("reconcile.max-pages", 10_000)),
                owner, listener);
    }

    public static DialpadApiKeys apiKeys(Settings settings) {
        return new DialpadApiKeys(settings.properties()::resolveProperty, settings.configuredKeys("dialpad.apps."));
    }

    public static DialpadApi api(Settings settings, String key) {
        return new DialpadApi(settings.text("dialpad.api.url", "https://dialpad.com"), key, new DialpadApi.Options(
                Duration.ofSeconds(settings.number("dialpad.api.timeout-seconds", 30)),
                settings.integer("dialpad.api.max-attempts", 5),
                Duration.ofSeconds(settings.number("dialpad.api.max-retry-wait-seconds", 60)),
                Duration.ofMillis(settings.number("dialpad.api.first-backoff-ms", 1000))));
    }
}
