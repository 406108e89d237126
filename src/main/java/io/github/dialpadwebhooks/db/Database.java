package io.github.dialpadwebhooks.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.dialpadwebhooks.Failures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool the routes share, on {@code DATABASE_URL} when it is set, else on an embedded PostgreSQL whose
 * data persists in a local folder. Migrations (Flyway, {@code db/migration}) run before anything else uses the pool
 * (in the service, on a thread of their own while the routes load: {@link #setMigrateInBackground}).
 * Stopping this service closes the pool, then the embedded server.
 */
public final class Database extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Settings read from application.properties (docs/configuration.md). */
    public record Settings(String url, Path embeddedDataDir, int embeddedPort, int poolSize,
            Duration connectionTimeout, String applicationName) {
    }

    private final Settings settings;
    private EmbeddedPostgres embedded;
    private HikariDataSource pool;
    private volatile DatabaseUrl url;
    private String directUrlSetting = "";
    private volatile DatabaseUrl directUrl;
    private int partitionsAheadDays = 7;
    private volatile boolean migrated;
    private volatile Thread migrationRetry;
    private boolean migrateInBackground;
    private final java.util.concurrent.CountDownLatch firstMigration = new java.util.concurrent.CountDownLatch(1);

    public Database(Settings settings) {
        this.settings = settings;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * {@code database.direct-url}: PostgreSQL itself, for what needs a session of its own (migrations' advisory lock,
     * LISTEN, a rebuild's search_path) when {@code database.url} goes through PgBouncer in transaction mode. Empty:
     * the database URL. Set before start.
     */
    public void setDirectUrl(String directUrl) {
        this.directUrlSetting = directUrl == null ? "" : directUrl.trim();
    }

    /**
     * {@code event-log.partitions-ahead-days}: the day partitions of webhook_events made right after the migrations
     * (docs/partitioning.md), so that a start after a long stop never meets a day without one. Set before start.
     */
    public void setPartitionsAheadDays(int days) {
        this.partitionsAheadDays = days;
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
        this.url = url;
        this.directUrl = directUrlSetting.isEmpty() ? url : DatabaseUrl.parse(directUrlSetting);
        if (directUrl != url) {
            LOG.info("Database, direct (migrations, LISTEN, rebuilds): {}", directUrl.redacted());
        }
        pool = new HikariDataSource(hikariConfig(url));
        if (migrateInBackground) {
            startMigrationThread(() -> {
                if (!firstMigration()) {
                    retryMigrations();
                }
            });
        } else if (!firstMigration()) {
            startMigrationThread(this::retryMigrations);
        }
    }

    /**
     * Run the migrations on a thread of their own from {@link #start()} on, so that the service loads its routes
     * meanwhile; {@link #awaitFirstMigration(Duration)} waits for them. Set before start; a command that uses the
     * database at once leaves it off.
     */
    public void setMigrateInBackground(boolean migrateInBackground) {
        this.migrateInBackground = migrateInBackground;
    }

    /**
     * Waits until the first attempt at the migrations has ended: done, or failed because the database is away (then
     * they keep being retried in the background, and readiness says why). At most {@code timeout}.
     */
    public void awaitFirstMigration(Duration timeout) throws InterruptedException {
        if (!firstMigration.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            LOG.warn("Migrations still running after {} s; starting the routes meanwhile (readiness waits for them)",
                    timeout.toSeconds());
        }
    }

    /** The first attempt; false when the database is not there yet (start anyway: 503s, readiness DOWN). */
    private boolean firstMigration() {
        try {
            migrate();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Database not reachable at start-up ({}); migrations will run as soon as it is",
                    Failures.rootMessage(e));
            return false;
        } finally {
            firstMigration.countDown();
        }
    }

    private void startMigrationThread(Runnable work) {
        migrationRetry = new Thread(work, "database-migrations");
        migrationRetry.setDaemon(true);
        migrationRetry.start();
    }

    /** True once the Flyway migrations have run against the database (readiness depends on it). */
    public boolean isMigrated() {
        return migrated;
    }

    private void migrate() {
        long started = System.nanoTime();
        var flyway = Flyway.configure();
        // its advisory lock is a session's: on PostgreSQL itself when the pool goes through PgBouncer
        if (directUrl == url) {
            flyway.dataSource(pool);
        } else {
            flyway.dataSource(directUrl.jdbcUrl(), directUrl.user(), directUrl.password());
        }
        flyway
                .locations("classpath:db/migration")
                .load()
                .migrate();
        try (var c = pool.getConnection(); var ps = c.prepareStatement("SELECT create_event_partitions(?)")) {
            ps.setInt(1, partitionsAheadDays);
            ps.execute();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the day partitions of webhook_events", e);
        }
        migrated = true;
        LOG.info("Database migrated in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private void retryMigrations() {
        while (!migrated && pool != null && !pool.isClosed()) {
            try {
                Thread.sleep(settings.connectionTimeout().toMillis() + 1000);
                migrate();
                LOG.info("Database reachable: migrations done");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debug("Migrations still waiting for the database: {}", Failures.rootMessage(e));
            }
        }
    }

    @Override
    protected void doStop() {
        if (migrationRetry != null) {
            migrationRetry.interrupt();
            migrationRetry = null;
        }
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

    /**
     * A separate small pool on the same database whose connections start with {@code initSql} (a projection rebuild's
     * {@code search_path}); the caller closes it.
     */
    public HikariDataSource separatePool(String name, int size, String initSql) {
        // its connections keep a session setting: PostgreSQL itself, never a transaction-mode PgBouncer
        HikariConfig config = hikariConfig(directUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setConnectionInitSql("SET jit = off; " + initSql);
        return new HikariDataSource(config);
    }

    /**
     * A connection of its own, outside the pool, for a session that lasts (LISTEN), on the direct URL.
     */
    public java.sql.Connection openConnection(String applicationName) throws java.sql.SQLException {
        DatabaseUrl target = directUrl;
        if (target == null) {
            throw new java.sql.SQLException("the database is not started yet", "08000");
        }
        java.util.Properties props = new java.util.Properties();
        if (target.user() != null) {
            props.setProperty("user", target.user());
        }
        if (target.password() != null) {
            props.setProperty("password", target.password());
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectionTimeout().toSeconds())));
        // a dead peer is noticed by the keepalive, not by a read that never returns
        props.setProperty("tcpKeepAlive", "true");
        return new org.postgresql.Driver().connect(target.jdbcUrl(), props);
    }

    private DatabaseUrl startEmbedded() throws IOException {
        Path dir = settings.embeddedDataDir().toAbsolutePath();
        Files.createDirectories(dir);
        embedded = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(settings.embeddedPort())
                // durable: zonky's defaults (-F, synchronous_commit=off) suit throwaway test databases, but a 2xx
                // to Dialpad promises the row survives a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
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
        // No JIT compilation: the statements are short, and a cost estimate inflated by a large batch (or by tables
        // without statistics yet) would spend hundreds of milliseconds compiling one (docs/design.md#query-plans).
        config.setConnectionInitSql("SET jit = off");
        // do not fail at start-up when the database is away: the service waits for it (readiness DOWN)
        config.setInitializationFailTimeout(-1);
        return config;
    }
}
