package io.github.dialpadwebhooks.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's stateless sessions: genuine, expiring, bound to ADMIN_TOKEN; CSRF tokens bound to the session. */
class AdminSessionsTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private final AdminSessions sessions = sessions("the-admin-token", NOW);

    @Test
    void should_accept_its_own_session_until_it_expires() {
        String session = sessions.newSession();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=" + session)).isEqualTo(session);
        assertThat(sessions.validSession("other=1; " + AdminSessions.COOKIE + "=" + session + "; x=y"))
                .as("among other cookies").isEqualTo(session);
        assertThat(sessions("the-admin-token", NOW.plus(Duration.ofHours(12)).minusSeconds(1))
                .validSession(AdminSessions.COOKIE + "=" + session)).isEqualTo(session);
        assertThat(sessions("the-admin-token", NOW.plus(Duration.ofHours(12)))
                .validSession(AdminSessions.COOKIE + "=" + session)).as("expired").isNull();
    }

    @Test
    void should_refuse_forged_tampered_and_foreign_sessions() {
        String session = sessions.newSession();
        String[] parts = session.split("\\.");
        String longer = "v1." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2] + "." + parts[3];
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=" + longer)).as("expiry changed").isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=v1." + parts[1] + "." + parts[2] + ".AAAA")).isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=v1." + parts[1] + ".other." + parts[3])).isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=garbage")).isNull();
        assertThat(sessions.validSession(AdminSessions.COOKIE + "=")).isNull();
        assertThat(sessions.validSession(null)).isNull();
        assertThat(sessions("another-token", NOW).validSession(AdminSessions.COOKIE + "=" + session))
                .as("ADMIN_TOKEN changed: everyone is signed out").isNull();
        assertThat(sessions("", NOW).validSession(AdminSessions.COOKIE + "=" + session)).isNull();
    }

    @Test
    void should_bind_the_csrf_token_to_the_session() {
        String session = sessions.newSession();
        String csrf = sessions.csrfToken(session);
        assertThat(sessions.isCsrfToken(session, csrf)).isTrue();
        assertThat(sessions.isCsrfToken(session, null)).isFalse();
        assertThat(sessions.isCsrfToken(session, csrf.substring(1))).isFalse();
        String other = sessions.newSession();
        assertThat(sessions.isCsrfToken(other, csrf)).as("another session's token").isFalse();
    }

    @Test
    void should_compare_the_admin_token_exactly() {
        assertThat(sessions.isAdminToken("the-admin-token")).isTrue();
        assertThat(sessions.isAdminToken("the-admin-token ")).isFalse();
        assertThat(sessions.isAdminToken("THE-ADMIN-TOKEN")).isFalse();
        assertThat(sessions.isAdminToken(null)).isFalse();
        assertThat(sessions("", NOW).isAdminToken("")).as("open mode has no token to match").isFalse();
    }

    private static AdminSessions sessions(String token, Instant now) {
        return new AdminSessions(token, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
    }
}
