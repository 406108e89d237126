package io.github.dialpadwebhooks;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.github.dialpadwebhooks.admin.AdminAuthorization;
import io.github.dialpadwebhooks.admin.AdminFailureResponse;
import io.github.dialpadwebhooks.admin.AdminSessions;
import io.github.dialpadwebhooks.console.OperatorConsole;
import io.github.dialpadwebhooks.console.SignInThrottle;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.db.DatabaseHealthCheck;
import io.github.dialpadwebhooks.http.HttpGuards;
import io.github.dialpadwebhooks.http.ManagementHttpEngine;
import io.github.dialpadwebhooks.http.ResponseHeaderPolicy;
import io.github.dialpadwebhooks.ingest.GroupCommitWriter;
import io.github.dialpadwebhooks.ingest.PreviousSecretUse;
import io.github.dialpadwebhooks.ingest.VerifyAndNormaliseWebhook;
import io.github.dialpadwebhooks.ingest.WebhookFailureResponse;
import io.github.dialpadwebhooks.ingest.WebhookReceipt;
import io.github.dialpadwebhooks.ingest.WebhookSecrets;
import io.github.dialpadwebhooks.ops.PipelineHistory;
import io.github.dialpadwebhooks.ops.PipelineMetrics;
import io.github.dialpadwebhooks.processing.EventBatches;
import io.github.dialpadwebhooks.processing.PollFailureLogger;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
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
        // an unsafe configuration stops here, before any port or database is opened (SPEC section 7)
        SafeConfiguration.check(properties::resolveProperty);
        boolean adminApiEnabled = !"false".equalsIgnoreCase(
                properties.resolveProperty("admin.api-enabled").orElse("true").trim());
        String adminToken = properties.resolveProperty("admin.token").orElse("");
        long managementMaxBody = longProperty(properties, "management.max-body-bytes", 1_048_576);
        // the management server's body limit has no property: set on the server camel-main has just made (its
        // body handlers are created with the routes, later)
        ManagementHttpServer managementServer = context.hasService(ManagementHttpServer.class);
        if (managementServer != null) {
            managementServer.setMaxBodySize(managementMaxBody);
        }
        context.getRegistry().bind("responseHeaderPolicy", new ResponseHeaderPolicy());

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
        context.getRegistry().bind("databaseHealthCheck", new DatabaseHealthCheck(database));
        GroupCommitWriter writer = new GroupCommitWriter(database.dataSource(),
                intProperty(properties, "ingest.group-commit.max-rows", 64),
                intProperty(properties, "ingest.group-commit.writers", 4),
                intProperty(properties, "ingest.store-timeout-ms", 4000));
        // added after the database: stopped before it
        context.addService(writer, true, true);
        context.getRegistry().bind("groupCommitWriter", writer);


        // the claim token is written into the processing SQL, so it is held to a safe alphabet
        String instanceId = properties.resolveProperty("processor.instance-id").filter(s -> !s.isBlank())
                .orElseGet(AppConfiguration::newInstanceId);
        if (!instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("processor.instance-id may only hold letters, digits, '.', '_', '-'");
        }
        properties.addOverrideProperty("processor.instance-id", instanceId);
        database.setClaimOwner(instanceId);
        context.getRegistry().bind("eventBatches", new EventBatches());
        context.getRegistry().bind("pollFailureLogger", new PollFailureLogger());

        // the logging context (route id, app, event) is only worth its cost when the JSON log format shows it
        boolean jsonLogs = "json".equalsIgnoreCase(System.getenv("LOG_FORMAT"));
        context.setUseMDCLogging(jsonLogs);
        VerifyAndNormaliseWebhook.setLoggingContext(jsonLogs);

        // Vert.x runs each request's route on a worker thread, which waits for its row's group commit: enough
        // workers let the concurrent requests form large groups
        context.getRegistry().bind("vertxOptions", new io.vertx.core.VertxOptions()
                .setWorkerPoolSize(intProperty(properties, "ingest.worker-threads", 64)));

        // the admin API: served on the management port, behind ADMIN_TOKEN when it is set
        context.getRegistry().bind("managementHttpEngine", new ManagementHttpEngine());
        AdminAuthorization adminAuthorization = new AdminAuthorization(new AdminSessions(adminToken,
                Duration.ofMinutes(intProperty(properties, "console.session-minutes", 720)), Clock.systemUTC(),
                database::dataSource));
        context.getRegistry().bind("adminAuthorization", adminAuthorization);
        context.getRegistry().bind("adminFailureResponse", new AdminFailureResponse());
        context.getRegistry().bind("operatorConsole", new OperatorConsole(adminAuthorization,
                new SignInThrottle(intProperty(properties, "console.sign-in-failures-per-minute", 10),
                        Clock.systemUTC())));

        PipelineMetrics metrics = new PipelineMetrics(context, intProperty(properties, "processor.max-redeliveries", 3));
        context.getRegistry().bind("pipelineMetrics", metrics);
        context.getRegistry().bind("pipelineHistory", new PipelineHistory(
                Duration.ofMinutes(intProperty(properties, "console.history-minutes", 15)),
                intProperty(properties, "metrics.refresh-ms", 5000), Clock.systemUTC()));
        HttpGuards guards = new HttpGuards(metrics,
                longProperty(properties, "camel.server.max-body-size", 1_048_576),
                longProperty(properties, "ingest.max-in-flight-bytes", 33_554_432),
                adminApiEnabled, !adminToken.isBlank(), managementMaxBody,
                longProperty(properties, "http.request-read-timeout-ms", 10_000),
                intProperty(properties, "http.idle-timeout-seconds", 60));
        context.getManagementStrategy().addEventNotifier(guards);
        guards.watch(context);

        WebhookSecrets secrets = new WebhookSecrets(properties::resolveProperty, configuredKeys(properties));
        context.getRegistry().bind("verifyAndNormaliseWebhook",
                new VerifyAndNormaliseWebhook(secrets, new PreviousSecretUse(metrics, Clock.systemUTC())));
        context.getRegistry().bind("webhookReceipt", new WebhookReceipt(metrics));
        context.getRegistry().bind("webhookFailureResponse", new WebhookFailureResponse(metrics));
    }

    /** Unique per process and per Camel context: host, pid and a random suffix. */
    static String newInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "host";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        return (host.length() > 40 ? host.substring(0, 40) : host) + "-" + ProcessHandle.current().pid() + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every property key and environment variable name that is set: where the per-app secrets are found. */
    private static java.util.Set<String> configuredKeys(PropertiesComponent properties) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        properties.loadProperties(key -> key.startsWith("dialpad.apps.")).stringPropertyNames().forEach(keys::add);
        System.getProperties().stringPropertyNames().forEach(keys::add);
        keys.addAll(System.getenv().keySet());
        return keys;
    }

    private static long longProperty(PropertiesComponent properties, String key, long defaultValue) {
        return properties.resolveProperty(key).filter(s -> !s.isBlank()).map(String::trim).map(Long::parseLong)
                .orElse(defaultValue);
    }

    private static int intProperty(PropertiesComponent properties, String key, int defaultValue) {
        return properties.resolveProperty(key).filter(s -> !s.isBlank()).map(String::trim).map(Integer::parseInt)
                .orElse(defaultValue);
    }
}
