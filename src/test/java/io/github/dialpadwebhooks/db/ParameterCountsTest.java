package io.github.dialpadwebhooks.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * camel-sql asks every statement for its parameter count before it runs it. Through the routes' {@code dataSource}
 * that question costs no round trip after the first time, so pgjdbc keeps the statement prepared on the server and
 * PostgreSQL can reuse its plan; asked of the driver each time, the statement was prepared anew at every execution.
 */
class ParameterCountsTest {

    private static final String STATEMENT = "SELECT CAST(? AS integer) + CAST(? AS integer) AS sum";

    @Test
    void should_keep_a_statement_prepared_on_the_server_when_its_parameter_count_is_asked_each_time()
            throws SQLException {
        try (HikariDataSource pool = pool()) {
            assertThat(executionsOfOnePreparedStatement(pool, new SwitchableDataSource(pool))).isEqualTo(6);
        }
    }

    @Test
    void should_show_why_the_driver_alone_prepares_the_statement_again_at_every_execution() throws SQLException {
        // the same as camel-sql did, on the pool itself: every execution a new server-side statement
        try (HikariDataSource pool = pool()) {
            assertThat(executionsOfOnePreparedStatement(pool, pool)).isEqualTo(1);
        }
    }

    /**
     * Runs STATEMENT ten times through {@code dataSource} as camel-sql does (parameter count, then the values) on the
     * one connection of {@code pool}; returns how many of them ran as the one server-side prepared statement that is
     * left (pgjdbc prepares it on the server from the fifth execution on: 6 when it is kept).
     */
    private static long executionsOfOnePreparedStatement(HikariDataSource pool, DataSource dataSource)
            throws SQLException {
        for (int i = 0; i < 10; i++) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STATEMENT)) {
                assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(2);
                ps.setObject(1, "40");
                ps.setObject(2, Integer.toString(i));
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("sum")).isEqualTo(40 + i);
                }
            }
        }
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements "
                        + "WHERE statement = ?")) {
            ps.setString(1, STATEMENT.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One connection, so every execution and the final look at pg_prepared_statements share a session. */
    private static HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabase.get().jdbcUrl());
        pool.setMaximumPoolSize(1);
        return pool;
    }
}
