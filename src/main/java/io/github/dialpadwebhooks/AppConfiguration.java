package io.github.dialpadwebhooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.http.WebhookHttpGuard;
import io.github.dialpadwebhooks.ingest.VerifyAndNormaliseWebhook;
import io.github.dialpadwebhooks.ingest.WebhookFailureResponse;
import io.github.dialpadwebhooks.ingest.WebhookReceipt;
import io.github.dialpadwebhooks.ingest.WebhookSecrets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds what the YAML routes refer to: the {@code dataSource} (after the migrations have run) and the few processors
 * that need Java. Runs once, before any route starts. (Beans are built here rather than with {@code @BindToRegistry}
 * methods, which Camel 4.18 invoked twice: two pools, two migrations.)
 */
public class AppConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();

        Database database = new Database(new Database.Settings(
                properties.resolveProperty("database.url").orElse(""),
                Path.of(properties.resolveProperty("database.embedded.data-dir").orElse("data/postgres")),
                intProperty(properties, "database.embedded.port", 0),
                intProperty(properties, "database.pool-size", 10),
                Duration.ofMillis(intProperty(properties, "database.connection-timeout-ms", 2000)),
                properties.resolveProperty("database.application-name").orElse("dialpad-camel")));
        // started now so the schema exists before routes start; stopped (pool, then embedded server) with Camel
        context.addService(database, true, true);
        database.start();
        context.getRegistry().bind("dataSource", database.dataSource());

        context.getManagementStrategy().addEventNotifier(new WebhookHttpGuard("/webhooks/"));

        WebhookSecrets secrets = new WebhookSecrets(key -> resolve(properties, key));
        context.getRegistry().bind("verifyAndNormaliseWebhook", new VerifyAndNormaliseWebhook(secrets));
        context.getRegistry().bind("webhookReceipt", new WebhookReceipt());
        context.getRegistry().bind("webhookFailureResponse", new WebhookFailureResponse());
    }

    private static Optional<String> resolve(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key);
    }

    private static int intProperty(PropertiesComponent properties, String key, int defaultValue) {
        return properties.resolveProperty(key).filter(s -> !s.isBlank()).map(String::trim).map(Integer::parseInt)
                .orElse(defaultValue);
    }
}
