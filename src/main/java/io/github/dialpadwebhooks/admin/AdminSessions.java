package io.github.dialpadwebhooks.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The operator console's sign-in. A session is a random secret in an HttpOnly, SameSite=Strict cookie
 * ({@code v2.<secret>}); the database keeps its SHA-256 (table {@code admin_sessions}), when it expires, whether it
 * was signed out, and a fingerprint of the ADMIN_TOKEN it was signed in with. So every instance behind a balancer
 * accepts it, sign-out ends it everywhere at once (the old cookie is refused from then on), and changing ADMIN_TOKEN
 * ends every session. The CSRF token the console sends on every POST is an HMAC of the session keyed with
 * ADMIN_TOKEN, which a page on another site can neither read nor compute.
 */
public final class AdminSessions {

    public static final String COOKIE = "dialpad_admin_session";
    private static final String PREFIX = "v2.";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final Duration lifetime;
    private final Clock clock;
    private final Supplier<DataSource> dataSource;
    private final String fingerprint;

    /** @param dataSource the pool (supplied lazily: it exists once the database service has started) */
    public AdminSessions(String token, Duration lifetime, Clock clock, Supplier<DataSource> dataSource) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.lifetime = lifetime;
        this.clock = clock;
        this.dataSource = dataSource;
        this.fingerprint = this.token == null ? null : mac("fingerprint");
    }

    /** False when no ADMIN_TOKEN is configured: the admin API and the console answer loopback clients only. */
    public boolean isTokenRequired() {
        return token != null;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Constant-time comparison with the configured ADMIN_TOKEN. */
    public boolean isAdminToken(String candidate) {
        return token != null && candidate != null
                && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a session for a client that gave the ADMIN_TOKEN; the cookie value. */
    public String newSession(String client) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String session = PREFIX + B64.encodeToString(random);
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO admin_sessions "
                        + "(id_hash, token_fingerprint, client, expires_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, sha256(session));
            insert.setString(2, fingerprint);
            insert.setString(3, client);
            insert.setTimestamp(4, Timestamp.from(clock.instant().plus(lifetime)));
            insert.executeUpdate();
        }
        return session;
    }

    /** The session in a Cookie request header when it is current (not expired, not signed out), else null. */
    public String validSession(String cookieHeader) throws SQLException {
        String session = sessionIn(cookieHeader);
        if (session == null) {
            return null;
        }
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT 1 FROM admin_sessions WHERE id_hash = ? "
                        + "AND token_fingerprint = ? AND revoked_at IS NULL AND expires_at > ?")) {
            select.setString(1, sha256(session));
            select.setString(2, fingerprint);
            select.setTimestamp(3, Timestamp.from(clock.instant()));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? session : null;
            }
        }
    }

    /** Signs out the cookie's session for every instance; true when there was one to end. */
    public boolean revoke(String cookieHeader) throws SQLException {
        String session = sessionIn(cookieHeader);
        if (session == null) {
            return false;
        }
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement update = c.prepareStatement(
                        "UPDATE admin_sessions SET revoked_at = now() WHERE id_hash = ? AND revoked_at IS NULL")) {
            update.setString(1, sha256(session));
            return update.executeUpdate() > 0;
        }
    }

    public String csrfToken(String session) {
        return mac("csrf|" + session);
    }

    public boolean isCsrfToken(String session, String candidate) {
        return candidate != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.US_ASCII),
                candidate.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** The well-formed session value of this project's cookie in a Cookie header, else null (no database read). */
    private String sessionIn(String cookieHeader) {
        if (token == null || cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String cookie = part.trim();
            if (cookie.startsWith(COOKIE + "=")) {
                String value = cookie.substring(COOKIE.length() + 1);
                if (value.startsWith(PREFIX) && value.length() == PREFIX.length() + 43
                        && value.substring(PREFIX.length()).chars().allMatch(AdminSessions::isBase64Url)) {
                    return value;
                }
            }
        }
        return null;
    }

    private static boolean isBase64Url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
