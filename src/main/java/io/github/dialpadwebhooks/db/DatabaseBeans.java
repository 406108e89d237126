package io.github.dialpadwebhooks.db;

import java.nio.file.Path;
import java.time.Duration;

import io.github.dialpadwebhooks.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;

/** Starts the database (embedded or DATABASE_URL, and its migrations) and binds {@code dataSource}. */
public final class DatabaseBeans {

    private DatabaseBeans() {
    }

    /** For a command that uses the database at once: migrated when this returns. */
    public static Database bind(CamelContext context, Settings settings) throws Exception {
        return bind(context, settings, false);
    }

    /**
     * {@code migrateWhileRoutesLoad}: the migrations run on a thread of their own while Camel loads and starts the
     * routes (~0.5 s of start-up on two cores); Camel starts its components and routes once they are done.
     */
    public static Database bind(CamelContext context, Settings settings, boolean migrateWhileRoutesLoad)
            throws Exception {
        Database database = new Database(new Database.Settings(
                settings.text("database.url", ""),
                Path.of(settings.text("database.embedded.data-dir", "data/postgres")),
                settings.integer("database.embedded.port", 0),
                settings.integer("database.pool-size", 10),
                Duration.ofMillis(settings.integer("database.connection-timeout-ms", 2000)),
                settings.text("database.application-name", "dialpad-camel")));
        database.setDirectUrl(settings.text("database.direct-url", ""));
        database.setPartitionsAheadDays(settings.integer("event-log.partitions-ahead-days", 7));
        database.setMigrateInBackground(migrateWhileRoutesLoad);
        if (migrateWhileRoutesLoad) {
            // before Camel starts its components: the HTTP ports open, and the route consumers start, only once the
            // schema is there, as when the migrations ran first
            context.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStarting(CamelContext camel) {
                    try {
                        database.awaitFirstMigration(Duration.ofSeconds(60));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
        // started now (the migrations with it, or beside the route loading); stopped (pool, then embedded server) with
        // Camel
        context.addService(database, true, true);
        database.start();
        // the routes' pool, switchable per thread for projection rebuilds (SwitchableDataSource)
        context.getRegistry().bind("dataSource", new SwitchableDataSource(database.dataSource()));
        // every sql endpoint parses its SQL text once, not at each execution (ParsedSqlTexts)
        ParsedSqlTexts.install(context);
        return database;
    }
}
