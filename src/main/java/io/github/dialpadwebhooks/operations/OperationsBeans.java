package io.github.dialpadwebhooks.operations;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import io.github.dialpadwebhooks.Settings;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.ingest.VerifyAndNormaliseWebhook;
import org.apache.camel.CamelContext;

/** Metrics, the console's history of them, readiness, and the logging context. */
public final class OperationsBeans {

    private OperationsBeans() {
    }

    public static PipelineMetrics bind(CamelContext context, Settings settings, Database database,
            Set<String> knownEventTypes) {
        PipelineMetrics metrics = new PipelineMetrics(context, knownEventTypes);
        context.getRegistry().bind("pipelineMetrics", metrics);
        context.getRegistry().bind("pipelineHistory", new PipelineHistory(
                Duration.ofMinutes(settings.integer("console.history-minutes", 15)),
                settings.integer("metrics.refresh-ms", 5000), Clock.systemUTC()));
        context.getRegistry().bind("databaseHealthCheck", new DatabaseHealthCheck(database));
        context.getRegistry().bind("reprocessRequests", new ReprocessRequests());
        // the logging context (route id, app, event) is only worth its cost when the JSON log format shows it
        boolean jsonLogs = "json".equalsIgnoreCase(System.getenv("LOG_FORMAT"));
        context.setUseMDCLogging(jsonLogs);
        VerifyAndNormaliseWebhook.setLoggingContext(jsonLogs);
        return metrics;
    }
}
