package io.github.dialpadwebhooks.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

import io.github.dialpadwebhooks.db.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the tests run against, found in this order: {@code TEST_DATABASE_URL} (a server the tests may
 * create databases on), else Testcontainers where Docker runs, else an embedded PostgreSQL (zonky). Each test run
 * (JVM) gets its own fresh database, dropped when the run ends, so runs never see each other's rows.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final String source;

    private TestDatabase(String host, int port, String database, String user, String password, String source) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.source = source;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = create();
            // the app's own migrations, so a test can use the tables before (or without) starting the app
            org.flywaydb.core.Flyway.configure().dataSource(instance.jdbcUrl(), null, null)
                    .locations("classpath:db/migration").load().migrate();
            System.out.println("Test database: " + instance.source + ", " + instance.jdbcUrl());
        }
        return instance;
    }

    private static TestDatabase create() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return freshDatabaseOn(DatabaseUrl.parse(url), "TEST_DATABASE_URL");
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new TestDatabase(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
                    container.getUsername(), container.getPassword(), "Testcontainers");
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
            return freshDatabaseOn(new DatabaseUrl(embedded.getJdbcUrl("postgres", "postgres"), "postgres", null),
                    "embedded PostgreSQL (zonky)");
        } catch (Exception e) {
            throw new IllegalStateException("no test database: set TEST_DATABASE_URL", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static TestDatabase freshDatabaseOn(DatabaseUrl server, String source) {
        String name = "dialpad_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"))
                + "_" + ProcessHandle.current().pid();
        try (Connection admin = connect(server.jdbcUrl(), server.user(), server.password());
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database on " + server.redacted(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection admin = connect(server.jdbcUrl(), server.user(), server.password());
                    Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // best effort: a leftover database has a unique name and harms no later run
            }
        }));
        java.net.URI uri = java.net.URI.create(server.jdbcUrl().substring("jdbc:".length()));
        String user = server.user() != null ? server.user() : queryParam(uri.getQuery(), "user");
        String password = server.password() != null ? server.password() : queryParam(uri.getQuery(), "password");
        return new TestDatabase(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, name, user, password, source);
    }

    private static String queryParam(String query, String key) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of the fresh database with its credentials, as the app's DATABASE_URL. */
    public String jdbcUrl() {
        return jdbcUrlVia(host, port);
    }

    /** The same database reached through another host and port (a proxy). */
    public String jdbcUrlVia(String viaHost, int viaPort) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(viaHost).append(':').append(viaPort)
                .append('/').append(database);
        String sep = "?";
        if (user != null) {
            url.append(sep).append("user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
            sep = "&";
        }
        if (password != null) {
            url.append(sep).append("password=").append(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** A schema of its own, dropped and created empty; the URL of this database with it as the current schema. */
    public String emptySchema(String schema) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
        return jdbcUrl() + "&currentSchema=" + schema;
    }

    /** {@link #emptySchema} with every migration run in it, as the app's start-up would. */
    public String migratedSchema(String schema) throws SQLException {
        String url = emptySchema(schema);
        org.flywaydb.core.Flyway.configure().dataSource(url, null, null).schemas(schema)
                .locations("classpath:db/migration").load().migrate();
        return url;
    }

    /** Empties every table the app writes (the schema stays). */
    public void truncateAll() {
        for (int attempt = 1;; attempt++) {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("TRUNCATE webhook_events, calls, messages, webhook_dead_letters, call_recordings, "
                        + "call_insights, call_interactions, contacts, agents, agent_status_history, change_log, reconcile_runs, "
                        + "projection_rebuilds, reprocess_jobs, audit_log");
                // and processing not paused (OperatorControlsTest, the console's pause switch)
                st.execute("UPDATE processing_control SET paused = false, reason = NULL");
                return;
            } catch (SQLException e) {
                // a running app's processor may hold these tables' locks in another order: try again
                if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
