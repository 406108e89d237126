package io.github.dialpadwebhooks.db;

import java.nio.file.Path;
import java.time.Duration;

import io.github.dialpadwebhooks.Settings;
import org.apache.camel.CamelContext;

/** Starts the database (embedded or DATABASE_URL, migrations first) and binds {@code dataSource}. */
public final class DatabaseBeans {

    private DatabaseBeans() {
    }

    public static Database bind(CamelContext context, Settings settings) throws Exception {
        Database database = new Database(new Database.Settings(
                settings.text("database.url", ""),
                Path.of(settings.text("database.embedded.data-dir", "data/postgres")),
                settings.integer("database.embedded.port", 0),
                settings.integer("database.pool-size", 10),
                Duration.ofMillis(settings.integer("database.connection-timeout-ms", 2000)),
                settings.text("database.application-name", "dialpad-camel")));
        database.setDirectUrl(settings.text("database.direct-url", ""));
        database.setPartitionsAheadDays(settings.integer("event-log.partitions-ahead-days", 7));
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
