package io.github.dialpadwebhooks.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.admin.AdminAuthorization;
import io.github.dialpadwebhooks.admin.AdminForbiddenException;
import io.github.dialpadwebhooks.admin.AdminSessions;
import io.github.dialpadwebhooks.ingest.JsonResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console's HTTP side: the page (the console when signed in, else the sign-in form with 401), its
 * static files (from the classpath folder {@code console/}, read once), sign-in and sign-out. The data it shows
 * comes from the admin API, through the same {@link AdminAuthorization}.
 * <p>
 * Every answer carries a strict Content-Security-Policy (scripts and styles from this origin only, no inline
 * script, no framing): with the console rendering payloads as text only, a payload holding {@code <script>} can
 * neither run nor be injected.
 */
public final class OperatorConsole {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorConsole.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final AdminAuthorization authorization;
    private final SignInThrottle throttle;
    private final Map<String, Asset> assets = new LinkedHashMap<>();

    record Asset(byte[] content, String contentType) {
    }

    public OperatorConsole(AdminAuthorization authorization, SignInThrottle throttle) {
        this.authorization = authorization;
        this.throttle = throttle;
        for (String name : new String[] {"index.html", "login.html", "console.css", "console.js", "login.js"}) {
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            assets.put(name, new Asset(read("console/" + name), type));
        }
    }

    /**
     * GET /console: the console when the visitor may see it (console session, or the bearer token), else the sign-in
     * form with 401.
     */
    public void page(Exchange exchange) throws java.sql.SQLException {
        boolean allowed = authorization.isAuthenticated(exchange);
        answer(exchange, allowed ? 200 : 401, assets.get(allowed ? "index.html" : "login.html"));
        if (!allowed) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"dialpad-webhooks admin\"");
        }
    }

    /** GET /console/assets/{file}: the console's scripts and stylesheet (not secret: they hold no data). */
    public void asset(Exchange exchange) {
        String name = exchange.getMessage().getHeader("file", String.class);
        Asset asset = name == null || name.endsWith(".html") ? null : assets.get(name);
        if (asset == null) {
            clear(exchange.getMessage());
            JsonResponses.error(exchange, 404, "not_found", "no such console file");
            return;
        }
        answer(exchange, 200, asset);
    }

    /**
     * POST /console/login with {"token": "..."}: sets the session cookie when the token is ADMIN_TOKEN. A client
     * address with too many failed sign-ins in the current minute gets 429 (and a log line) without its token being
     * checked.
     */
    public void login(Exchange exchange) throws IOException, java.sql.SQLException {
        Message message = exchange.getMessage();
        if (AdminAuthorization.isCrossSite(message)) {
            throw new AdminForbiddenException("a sign-in from another site is refused");
        }
        AdminSessions sessions = authorization.sessions();
        String remote = clientAddress(message);
        if (sessions.isTokenRequired() && throttle.isBlocked(remote)) {
            clear(message);
            message.setHeader("Retry-After", Long.toString(throttle.secondsLeft()));
            JsonResponses.error(exchange, 429, "too_many_attempts",
                    "too many failed sign-ins from this address; wait a minute");
            LOG.warn("Operator console: sign-in from {} refused with 429 (too many failures this minute)", remote);
            return;
        }
        String body = message.getBody(String.class);
        String token = null;
        try {
            JsonNode json = body == null || body.isBlank() ? null : MAPPER.readTree(body);
            token = json != null && json.path("token").isTextual() ? json.path("token").asText() : null;
        } catch (IOException e) {
            // an unreadable body is a wrong token
        }
        boolean secure = "https".equalsIgnoreCase(message.getHeader("X-Forwarded-Proto", String.class));
        clear(message);
        if (!sessions.isTokenRequired()) {
            JsonResponses.write(exchange, 200, Map.of("auth", "open"));
            return;
        }
        if (!sessions.isAdminToken(token == null ? null : token.trim())) {
            int failures = throttle.failed(remote);
            LOG.warn("Operator console: sign-in refused (wrong token) from {} ({} failure(s) this minute{})", remote,
                    failures, failures >= throttle.limit() ? ": further attempts get 429 until it is over" : "");
            JsonResponses.error(exchange, 401, "unauthorized", "that is not the ADMIN_TOKEN");
            return;
        }
        LOG.info("Operator console: signed in from {}", remote);
        message.setHeader("Set-Cookie", AdminSessions.COOKIE + "=" + sessions.newSession(remote) + "; Path=/; Max-Age="
                + sessions.lifetime().toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
        JsonResponses.write(exchange, 200, Map.of("auth", "token"));
    }

    /**
     * POST /console/logout: ends the session server-side (its cookie is refused from then on, by every instance)
     * and expires the cookie in this browser.
     */
    public void logout(Exchange exchange) throws java.sql.SQLException {
        if (AdminAuthorization.isCrossSite(exchange.getMessage())) {
            throw new AdminForbiddenException("a sign-out from another site is refused");
        }
        if (authorization.sessions().revoke(exchange.getMessage().getHeader("Cookie", String.class))) {
            LOG.info("Operator console: signed out from {}", clientAddress(exchange.getMessage()));
        }
        clear(exchange.getMessage());
        exchange.getMessage().setHeader("Set-Cookie",
                AdminSessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        JsonResponses.write(exchange, 200, Map.of("signed_out", true));
    }

    /**
     * GET /console/session (behind the admin check): what the page needs to act, i.e. the CSRF token of this
     * session (null in open mode or for bearer callers, who need none).
     */
    public void session(Exchange exchange) {
        String session = exchange.getProperty(AdminAuthorization.SESSION_PROPERTY, String.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("auth", authorization.sessions().isTokenRequired() ? "token" : "open");
        body.put("csrf_token", session == null ? null : authorization.sessions().csrfToken(session));
        clear(exchange.getMessage());
        JsonResponses.write(exchange, 200, body);
    }

    /** The peer's IP address (the socket's, never a forwarded header), without its port. */
    private static String clientAddress(Message message) {
        Object remote = message.getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (remote instanceof io.vertx.core.net.SocketAddress address && address.hostAddress() != null) {
            return address.hostAddress();
        }
        return "unknown";
    }

    private void answer(Exchange exchange, int status, Asset asset) {
        Message message = exchange.getMessage();
        clear(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, asset.contentType());
        message.setBody(asset.content());
    }

    /** Request headers would otherwise be echoed in the answer; only security headers are kept. */
    private static void clear(Message message) {
        message.removeHeaders("*");
        message.setHeader("Content-Security-Policy", CSP);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(String resource) {
        try (InputStream in = OperatorConsole.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing console file on the classpath: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
