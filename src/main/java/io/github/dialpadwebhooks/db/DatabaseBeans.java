package io.github.dialpadwebhooks.db;

import java.nio.file.Path;
import java.time.Duration;

import io.github.dialpadwebhooks.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

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
     * routes (~0.5 s of start-up on two cores), and the route consumers start once they are done.
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
            // called once the routes are built, before any consumer starts (no poll, no webhook before the schema)
            context.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarting(CamelContext camel, boolean alreadyStarted) throws Exception {
                    database.awaitFirstMigration(Duration.ofSeconds(60));
                }

                @Override
                public void onCamelContextStarted(CamelContext camel, boolean alreadyStarted) {
                }
            });
        }
        // started now so the schema exists before routes start; stopped (pool, then embedded server) with Camel
        context.addService(database, true, true);
        database.start();
        // the routes' pool, switchable per thread for projection rebuilds (SwitchableDataSource)
        context.getRegistry().bind("dataSource", new SwitchableDataSource(database.dataSource()));
        // every sql endpoint parses its SQL text once, not at each execution (ParsedSqlTexts)
        ParsedSqlTexts.install(context);
        return database;
    }
}
