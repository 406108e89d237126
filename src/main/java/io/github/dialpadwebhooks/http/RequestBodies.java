package io.github.dialpadwebhooks.http;

import java.util.Locale;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * What both HTTP servers do with a request before Vert.x reads its body (see {@link WebhookHttpGuard} and
 * {@link ManagementHttpGuard}): refuse a declared length over the limit, cut off a request that arrives too slowly,
 * take form and multipart bodies as raw bytes, and answer early errors with the same JSON as the routes.
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * True when the request declares a Content-Length (a plain decimal number) above {@code maxBytes}; 19 digits or
     * more is above any limit.
     */
    static boolean declaresMoreThan(RoutingContext ctx, long maxBytes) {
        long length = declaredLength(ctx);
        return length > maxBytes;
    }

    /**
     * The declared Content-Length; {@code Long.MAX_VALUE} for 19 digits or more; -1 when there is none (a chunked
     * body) or it is not a plain decimal number.
     */
    static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || !length.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return length.length() >= 19 ? Long.MAX_VALUE : Long.parseLong(length);
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

    /**
     * A request whose body has not fully arrived {@code timeoutMs} after its headers did (a sender trickling bytes
     * to hold a connection and a buffer) gets 408 and its connection is closed. A request that has arrived is never
     * cut off, however long its route takes.
     */
    static void cutOffWhenSlow(RoutingContext ctx, long timeoutMs) {
        if (timeoutMs <= 0 || ctx.request().isEnded()) {
            return;
        }
        long timer = ctx.vertx().setTimer(timeoutMs, id -> {
            if (ctx.request().isEnded() || ctx.response().closed()) {
                return;
            }
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(408)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(errorJson("request_timeout", "the request did not arrive within " + timeoutMs + " ms"))
                        .onComplete(done -> ctx.request().connection().close());
            } else {
                ctx.request().connection().close();
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }

    /**
     * Answers a failure Vert.x raised itself (a chunked body over the limit: 413) with the routes' JSON error
     * instead of Vert.x's plain text; other failures go on to the default handling.
     */
    static void jsonFailure(RoutingContext ctx, long maxBytes) {
        if (ctx.statusCode() == 413 && !ctx.response().ended() && !ctx.response().closed()) {
            jsonError(ctx, 413, "body_too_large", "the body is larger than " + maxBytes + " bytes");
        } else {
            ctx.next();
        }
    }

    static void jsonError(RoutingContext ctx, int status, String error, String detail) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(errorJson(error, detail));
    }

    /** The JSON error body; detail texts are this project's own constants, never request data. */
    private static String errorJson(String error, String detail) {
        return "{\"error\":\"" + error + "\",\"detail\":\"" + detail + "\"}";
    }
}
