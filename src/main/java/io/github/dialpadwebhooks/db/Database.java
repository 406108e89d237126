package io.github.dialpadwebhooks.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool the routes share, on {@code DATABASE_URL} when it is set, else on an embedded PostgreSQL whose
 * data persists in a local folder. Migrations (Flyway, {@code db/migration}) run before anything else uses the pool.
 * Stopping this service closes the pool, then the embedded server.
 */
public final class Database extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Settings read from application.properties (see the README's configuration reference). */
    public record Settings(String url, Path embeddedDataDir, int embeddedPort, int poolSize,
            Duration connectionTimeout, String applicationName) {
    }

    private final Settings settings;
    private EmbeddedPostgres embedded;
    private HikariDataSource pool;

    public Database(Settings settings) {
        this.settings = settings;
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    protected void doStart() throws Exception {
        DatabaseUrl url;
        if (settings.url() == null || settings.url().isBlank()) {
            url = startEmbedded();
        } else {
            url = DatabaseUrl.parse(settings.url());
            LOG.info("Database: {}", url.redacted());
        }
        pool = new HikariDataSource(hikariConfig(url));
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @Override
    protected void doStop() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
            embedded = null;
        }
    }

    private DatabaseUrl startEmbedded() throws IOException {
        Path dir = settings.embeddedDataDir().toAbsolutePath();
        Files.createDirectories(dir);
        embedded = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(settings.embeddedPort())
                .start();
        String jdbc = embedded.getJdbcUrl("postgres", "postgres");
        LOG.info("Database: embedded PostgreSQL (no DATABASE_URL set), data in {}, {}", dir, jdbc);
        return new DatabaseUrl(jdbc, "postgres", null);
    }

    private HikariConfig hikariConfig(DatabaseUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("dialpad-db");
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        // fail fast: a webhook must get its 503 well inside Dialpad's 5 s timeout
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(1000, settings.connectionTimeout().toMillis()));
        config.addDataSourceProperty("ApplicationName", settings.applicationName());
        return config;
    }
}
