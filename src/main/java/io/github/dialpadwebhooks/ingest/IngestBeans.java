package io.github.dialpadwebhooks.ingest;

import java.time.Clock;

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
                settings.configuredKeys(CallEventTypes.PREFIX)));
    }

    /**
     * {@code ingest.group-commit.writers}; 0 (the default): one per two cores, at least one. Measured on 2 cores with
     * PostgreSQL beside the service (bench/README.md): one writer gave the most requests/s and the lowest p99 at 16,
     * 64 and 256 connections; each writer more added contention, not throughput.
     */
    static int writers(int configured, int cores) {
        return configured > 0 ? configured : Math.max(1, cores / 2);
    }

    public static void bind(CamelContext context, Settings settings, Database database,
            DialpadEventNormaliser normaliser, PipelineMetrics metrics) throws Exception {
        GroupCommitWriter writer = new GroupCommitWriter(database.dataSource(),
                settings.integer("ingest.group-commit.max-rows", 128),
                writers(settings.integer("ingest.group-commit.writers", 0), Runtime.getRuntime().availableProcessors()),
                settings.integer("ingest.store-timeout-ms", 4000));
        // added after the database: stopped before it
        context.addService(writer, true, true);
        context.getRegistry().bind("groupCommitWriter", writer);

        WebhookSecrets secrets = new WebhookSecrets(settings.properties()::resolveProperty,
                settings.configuredKeys("dialpad.apps."));
        context.getRegistry().bind("verifyAndNormaliseWebhook", new VerifyAndNormaliseWebhook(secrets,
                new PreviousSecretUse(metrics, Clock.systemUTC()), normaliser));
        context.getRegistry().bind("webhookReceipt", new WebhookReceipt(metrics));
        context.getRegistry().bind("webhookFailureResponse", new WebhookFailureResponse(metrics));
    }
}
