package io.github.dialpadwebhooks.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * What the management port does before a request reaches Camel, installed by {@link HttpGuards} in front of every
 * path. Health and metrics ({@code /observe/*}) are served to whoever reaches the port; Camel's developer console
 * ({@code /q/dev}, dev mode only) to loopback clients only, token or not. Everything else is the admin API and the
 * operator console:
 * <ul>
 * <li>with {@code ADMIN_API_ENABLED=false}: 404;</li>
 * <li>without {@code ADMIN_TOKEN}: loopback clients only (403 for any other address; the address is the socket's,
 * never a forwarded header);</li>
 * <li>with a token: {@link io.github.dialpadwebhooks.admin.AdminAuthorization} checks it in the route.</li>
 * </ul>
 * Every body is capped at {@code management.max-body-bytes} before it is read further (declared: 413 at once;
 * chunked: Vert.x stops at the limit and {@link #failure} answers 413), a slow request is cut off (408), and form
 * bodies are kept as raw bytes.
 */
public final class ManagementHttpGuard implements Handler<RoutingContext> {

    static final String OBSERVE_PREFIX = "/observe/";
    /** Camel's developer console (dev mode only, camel.management.dev-console-enabled): it has no authentication. */
    static final String DEV_CONSOLE_PREFIX = "/q/";

    private final boolean adminApiEnabled;
    private final boolean tokenRequired;
    private final long maxBodyBytes;
    private final long readTimeoutMs;

    ManagementHttpGuard(boolean adminApiEnabled, boolean tokenRequired, long maxBodyBytes, long readTimeoutMs) {
        this.adminApiEnabled = adminApiEnabled;
        this.tokenRequired = tokenRequired;
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeoutMs = readTimeoutMs;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path != null && path.startsWith(DEV_CONSOLE_PREFIX) && !isLoopback(ctx.request().remoteAddress())) {
            RequestBodies.jsonError(ctx, 403, "forbidden", "the developer console answers loopback clients only");
            return;
        }
        if (path == null || !path.startsWith(OBSERVE_PREFIX)) {
            if (!adminApiEnabled) {
                RequestBodies.jsonError(ctx, 404, "not_found",
                        "the admin API and the console are disabled on this instance (ADMIN_API_ENABLED=false)");
                return;
            }
            if (!tokenRequired && !isLoopback(ctx.request().remoteAddress())) {
                RequestBodies.jsonError(ctx, 403, "forbidden", "without ADMIN_TOKEN the admin API and the console "
                        + "answer loopback clients only; set ADMIN_TOKEN to reach them from another host");
                return;
            }
        }
        if (RequestBodies.declaresMoreThan(ctx, maxBodyBytes)) {
            RequestBodies.jsonError(ctx, 413, "body_too_large", "admin calls take at most " + maxBodyBytes + " bytes");
            return;
        }
        RequestBodies.cutOffWhenSlow(ctx, readTimeoutMs);
        RequestBodies.takeFormBodiesAsBytes(ctx);
        ctx.next();
    }

    void failure(RoutingContext ctx) {
        RequestBodies.jsonFailure(ctx, maxBodyBytes);
    }

    /** The peer's IP literal is a loopback address (127.0.0.0/8, ::1). No name lookup is made. */
    static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
