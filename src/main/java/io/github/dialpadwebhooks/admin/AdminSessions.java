package io.github.dialpadwebhooks.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator console's sign-in, without server-side state: a session is {@code v1.<expiry>.<nonce>.<mac>} where the
 * mac is HMAC-SHA256 of expiry and nonce keyed with ADMIN_TOKEN, so every instance behind a balancer accepts it, it expires by
 * itself, and changing ADMIN_TOKEN signs everyone out. It travels in an HttpOnly, SameSite=Strict cookie; the CSRF
 * token the console sends on every POST is another HMAC of the session, which a page on another site can neither
 * read nor compute.
 */
public final class AdminSessions {

    public static final String COOKIE = "dialpad_admin_session";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final Duration lifetime;
    private final Clock clock;

    public AdminSessions(String token, Duration lifetime, Clock clock) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** False when no ADMIN_TOKEN is configured: the admin API and the console are open. */
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

    public String newSession() {
        String expiry = Long.toString(clock.instant().plus(lifetime).getEpochSecond());
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String nonce = B64.encodeToString(random);
        return "v1." + expiry + "." + nonce + "." + mac("session|" + expiry + "|" + nonce);
    }

    /** The session in a Cookie request header when it is genuine and not expired, else null. */
    public String validSession(String cookieHeader) {
        if (token == null || cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String cookie = part.trim();
            if (!cookie.startsWith(COOKIE + "=")) {
                continue;
            }
            String value = cookie.substring(COOKIE.length() + 1);
            String[] fields = value.split("\\.", -1);
            if (fields.length != 4 || !"v1".equals(fields[0]) || !fields[1].matches("[0-9]{1,12}")) {
                continue;
            }
            boolean genuine = MessageDigest.isEqual(
                    mac("session|" + fields[1] + "|" + fields[2]).getBytes(StandardCharsets.US_ASCII),
                    fields[3].getBytes(StandardCharsets.US_ASCII));
            if (genuine && Long.parseLong(fields[1]) > clock.instant().getEpochSecond()) {
                return value;
            }
        }
        return null;
    }

    public String csrfToken(String session) {
        return mac("csrf|" + session);
    }

    public boolean isCsrfToken(String session, String candidate) {
        return candidate != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.US_ASCII),
                candidate.trim().getBytes(StandardCharsets.US_ASCII));
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
