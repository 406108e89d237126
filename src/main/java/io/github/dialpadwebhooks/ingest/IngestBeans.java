package io.github.dialpadwebhooks.ingest;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.operations.PipelineMetrics;
import org.apache.camel.CamelContext;

/** What the ingest routes refer to: verification and normalisation, the group-commit writer, the answers. */
public final class IngestBeans {

    private IngestBeans() {
    }

    /** The normaliser, with the call state mapping of application.properties. */
    public static DialpadEventNormaliser normaliser(Settings settings) {
        return new DialpadEventNormaliser(CallEventTypes.from(settings.properties()::resolveProperty,
                configuredKeys(settings, CallEventTypes.PREFIX)));
    }

    public static void bind(CamelContext context, Settings settings, Database database,
            DialpadEventNormaliser normaliser, PipelineMetrics metrics) throws Exception {
        GroupCommitWriter writer = new GroupCommitWriter(database.dataSource(),
                settings.integer("ingest.group-commit.max-rows", 64),
                settings.integer("ingest.group-commit.writers", 4),
                settings.integer("ingest.store-timeout-ms", 4000));
        // added after the database: stopped before it
        context.addService(writer, true, true);
        context.getRegistry().bind("groupCommitWriter", writer);

        WebhookSecrets secrets = new WebhookSecrets(settings.properties()::resolveProperty,
                configuredKeys(settings, "dialpad.apps."));
        context.getRegistry().bind("verifyAndNormaliseWebhook", new VerifyAndNormaliseWebhook(secrets,
                new PreviousSecretUse(metrics, Clock.systemUTC()), normaliser));
        context.getRegistry().bind("webhookReceipt", new WebhookReceipt(metrics));
        context.getRegistry().bind("webhookFailureResponse", new WebhookFailureResponse(metrics));
    }

    /** The property keys with this prefix, and every system property and environment variable name. */
    private static Set<String> configuredKeys(Settings settings, String prefix) {
        Set<String> keys = new HashSet<>(settings.properties().loadProperties(k -> k.startsWith(prefix))
                .stringPropertyNames());
        keys.addAll(System.getProperties().stringPropertyNames());
        keys.addAll(System.getenv().keySet());
        return keys;
    }
}
