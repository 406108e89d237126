package io.github.dialpadwebhooks.http;

import java.util.Locale;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * What both HTTP servers do with a request body before Vert.x reads it (see {@link WebhookHttpGuard} and
 * {@link ManagementHttpEngine}): refuse a declared length over the limit, take form and multipart bodies as raw
 * bytes, and answer early errors with the same JSON as the routes.
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * True when the request declares a Content-Length (a plain decimal number) above {@code maxBytes}; 19 digits or
     * more is above any limit.
     */
    static boolean declaresMoreThan(RoutingContext ctx, long maxBytes) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || !length.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return length.length() >= 19 || Long.parseLong(length) > maxBytes;
    }

    /**
     * A form or multipart content type would make Vert.x decode the body into form fields (request headers, for
     * Camel) instead of keeping it: such bodies are relabelled {@code application/octet-stream}.
     */
    static void takeFormBodiesAsBytes(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            String lower = contentType.toLowerCase(Locale.ROOT);
            if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
                ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
            }
        }
    }

    static void jsonError(RoutingContext ctx, int status, String error, String detail) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error\":\"" + error + "\",\"detail\":\"" + detail + "\"}");
    }
}
