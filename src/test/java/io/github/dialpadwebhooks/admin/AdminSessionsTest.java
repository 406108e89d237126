package io.github.dialpadwebhooks.admin;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.zaxxer.hikari.HikariDataSource;
import io.github.dialpadwebhooks.support.Sql;
import io.github.dialpadwebhooks.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sessions, kept in the database: genuine, expiring, ended by sign-out for everyone, bound to
 * ADMIN_TOKEN; CSRF tokens bound to the session.
 */
class AdminSessionsTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final String TOKEN = "the-admin-token-of-24-chars";
    static HikariDataSource dataSource;

    private final AdminSessions sessions = sessions(TOKEN, NOW);

    @BeforeAll
    static void pool() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(TestDatabase.get().jdbcUrl());
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @BeforeEach
    void clean() {
        Sql.execute("DELETE FROM admin_sessions");
    }

    @Test
    void should_accept_its_own_session_until_it_expires() throws SQLException {
        String session = sessions.newSession("127.0.0.1");
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=" + session)).isEqualTo(session);
        assertThat(sessions.validSession("other=1; " + AdminSessions.COOKIE + "=" + session + "; x=y"))
                .as("among other cookies").isEqualTo(session);
        assertThat(sessions(TOKEN, NOW.plus(Duration.ofHours(12)).minusSeconds(1))
                .validSession(AdminSessions.COOKIE + "=" + session)).isEqualTo(session);
        assertThat(sessions(TOKEN, NOW.plus(Duration.ofHours(12)))
                .validSession(AdminSessions.COOKIE + "=" + session)).as("expired").isNull();
        assertThat(Sql.value("SELECT client FROM admin_sessions")).isEqualTo("127.0.0.1");
        assertThat((String) Sql.value("SELECT id_hash FROM admin_sessions")).as("only a hash is stored")
                .doesNotContain(session.substring(3));
    }

    @Test
    void should_refuse_a_session_after_sign_out_on_every_instance() throws SQLException {
        String session = sessions.newSession("127.0.0.1");
        AdminSessions anotherInstance = sessions(TOKEN, NOW);

        assertThat(sessions.revoke(AdminSessions.COOKIE + "=" + session)).isTrue();

        assertThat(sessions.validSession(AdminSessions.COOKIE + "=" + session)).isNull();
        assertThat(anotherInstance.validSession(AdminSessions.COOKIE + "=" + session)).isNull();
        assertThat(sessions.revoke(AdminSessions.COOKIE + "=" + session)).as("already ended").isFalse();
    }

    @Test
    void should_refuse_forged_tampered_and_foreign_sessions() throws SQLException {
        String session = sessions.newSession("127.0.0.1");
        String tampered = session.substring(0, session.length() - 1) + (session.endsWith("A") ? "B" : "A");
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=" + tampered)).isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=v1.9999999999.forged.AAAA")).isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=garbage")).isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=")).isNull();
        assertThat(sessions.validSession(null)).isNull();
        assertThat(sessions("another-token-of-24-characters", NOW).validSession(AdminSessions.COOKIE + "=" + session))
                .as("ADMIN_TOKEN changed: everyone is signed out").isNull();
        assertThat(sessions("", NOW).validSession(AdminSessions.COOKIE + "=" + session)).isNull();
    }

    @Test
    void should_bind_the_csrf_token_to_the_session() throws SQLException {
        String session = sessions.newSession("127.0.0.1");
        String csrf = sessions.csrfToken(session);
        assertThat(sessions.isCsrfToken(session, csrf)).isTrue();
        assertThat(sessions.isCsrfToken(session, null)).isFalse();
        assertThat(sessions.isCsrfToken(session, csrf.substring(1))).isFalse();
        String other = sessions.newSession("127.0.0.1");
        assertThat(sessions.isCsrfToken(other, csrf)).as("another session's token").isFalse();
    }

    @Test
    void should_compare_the_admin_token_exactly() {
        assertThat(sessions.isAdminToken(TOKEN)).isTrue();
        assertThat(sessions.isAdminToken(TOKEN + " ")).isFalse();
        assertThat(sessions.isAdminToken(TOKEN.toUpperCase())).isFalse();
        assertThat(sessions.isAdminToken(null)).isFalse();
        assertThat(sessions("", NOW).isAdminToken("")).as("open mode has no token to match").isFalse();
    }

    private static AdminSessions sessions(String token, Instant now) {
        return new AdminSessions(token, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC), () -> dataSource);
    }
}
