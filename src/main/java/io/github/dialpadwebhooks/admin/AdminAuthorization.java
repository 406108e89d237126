package io.github.dialpadwebhooks.admin;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Guards every admin call (admin API and operator console). When {@code ADMIN_TOKEN} ({@code admin.token}) is set,
 * a call must carry {@code Authorization: Bearer <token>} (scripts) or a console session cookie (browsers, see
 * {@link AdminSessions}); otherwise it is refused with 401. Without a token the admin API answers loopback clients
 * only ({@link io.github.dialpadwebhooks.http.ManagementHttpGuard} refuses the others before this runs).
 * <p>
 * State-changing calls (POST) are also refused with 403 when a browser says they come from another site
 * ({@code Origin} not this host, or {@code Sec-Fetch-Site} other than same-origin/none), whatever the mode, and a
 * POST authenticated by the cookie (an ambient credential) must carry the session's {@code X-CSRF-Token}. Bearer
 * calls need no CSRF token: a browser never adds that header by itself.
 * <p>
 * The credentials are removed from the message once checked, so they are never logged or echoed.
 */
public final class AdminAuthorization implements Processor {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Exchange property holding the console session a call was let through with (absent for bearer calls). */
    public static final String SESSION_PROPERTY = "adminSession";
    /** Who made the call, for the audit log and the SQL that records operator actions. */
    public static final String ACTOR_PROPERTY = "adminActor";
    public static final String CLIENT_PROPERTY = "adminClient";
    public static final String METHOD_PROPERTY = "adminMethod";
    public static final String PATH_PROPERTY = "adminPath";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AdminSessions sessions;

    public AdminAuthorization(AdminSessions sessions) {
        this.sessions = sessions;
    }

    public AdminSessions sessions() {
        return sessions;
    }

    @Override
    public void process(Exchange exchange) throws java.sql.SQLException {
        Message message = exchange.getMessage();
        String authorization = message.getHeader("Authorization", String.class);
        String cookie = message.getHeader("Cookie", String.class);
        String csrf = message.getHeader(CSRF_HEADER, String.class);
        message.removeHeader("Authorization");
        message.removeHeader("Cookie");
        message.removeHeader(CSRF_HEADER);
        boolean unsafe = !SAFE_METHODS.contains(method(exchange));
        exchange.setProperty(METHOD_PROPERTY, method(exchange));
        exchange.setProperty(PATH_PROPERTY, message.getHeader(Exchange.HTTP_PATH, String.class));
        Object remote = message.getHeader("CamelVertxPlatformHttpRemoteAddress");
        exchange.setProperty(CLIENT_PROPERTY, remote == null ? null : remote.toString());
        exchange.setProperty(ACTOR_PROPERTY, "loopback client (no ADMIN_TOKEN)");
        if (unsafe && isCrossSite(message)) {
            throw new AdminForbiddenException("a state-changing admin call from another site is refused");
        }
        if (!sessions.isTokenRequired()) {
            return;
        }
        if (authorization != null) {
            String bearer = bearerToken(authorization);
            if (bearer == null) {
                throw new AdminUnauthorizedException("an Authorization: Bearer <ADMIN_TOKEN> header is required");
            }
            if (!sessions.isAdminToken(bearer)) {
                throw new AdminUnauthorizedException("the bearer token is not the configured ADMIN_TOKEN");
            }
            exchange.setProperty(ACTOR_PROPERTY, "token " + fingerprint(bearer));
            return;
        }
        String session = sessions.validSession(cookie);
        if (session == null) {
            throw new AdminUnauthorizedException(
                    "an Authorization: Bearer <ADMIN_TOKEN> header (or a console session) is required");
        }
        if (unsafe && !sessions.isCsrfToken(session, csrf)) {
            throw new AdminForbiddenException("the console's " + CSRF_HEADER + " header is missing or wrong; "
                    + "reload the console");
        }
        exchange.setProperty(SESSION_PROPERTY, session);
        exchange.setProperty(ACTOR_PROPERTY, "console session " + fingerprint(session));
    }

    /** The first 12 hex digits of the SHA-256 of a secret: names it in the audit log without revealing it. */
    static String fingerprint(String secret) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the request may see admin data: open mode, a valid console session cookie, or the bearer token. */
    public boolean isAuthenticated(Exchange exchange) throws java.sql.SQLException {
        if (!sessions.isTokenRequired()
                || sessions.validSession(exchange.getMessage().getHeader("Cookie", String.class)) != null) {
            return true;
        }
        return sessions.isAdminToken(bearerToken(exchange.getMessage().getHeader("Authorization", String.class)));
    }

    /** The token of an {@code Authorization: Bearer <token>} header, else null. */
    private static String bearerToken(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    /**
     * A browser tells where a request comes from: {@code Sec-Fetch-Site} (recent browsers) and {@code Origin}
     * (every cross-origin POST). Requests without either (curl, scripts) are not cross-site.
     */
    public static boolean isCrossSite(Message message) {
        String site = message.getHeader("Sec-Fetch-Site", String.class);
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return true;
        }
        String origin = message.getHeader("Origin", String.class);
        if (origin == null) {
            return false;
        }
        String host = message.getHeader("X-Forwarded-Host", String.class);
        if (host == null) {
            host = message.getHeader("Host", String.class);
        }
        try {
            if (host == null) {
                // HTTP/2 has no Host header: the authority is in the request URL
                host = authority(message.getHeader(Exchange.HTTP_URL, String.class));
            }
            String authority = authority(origin.trim());
            return authority == null || host == null || !authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String authority(String url) {
        if (url == null) {
            return null;
        }
        URI uri = URI.create(url);
        if (uri.getHost() == null) {
            return null;
        }
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static String method(Exchange exchange) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        return method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    }
}
