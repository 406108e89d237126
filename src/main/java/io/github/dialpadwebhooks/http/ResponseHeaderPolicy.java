package io.github.dialpadwebhooks.http;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The header policy of every platform-http route (both ports; {@code camel.component.platform-http
 * .header-filter-strategy}). Camel copies a request's headers and query parameters into message headers and the
 * message headers into the response, so by default {@code ?Set-Cookie=x} or {@code Access-Control-Allow-Origin: *}
 * sent by a caller would come back as response headers. Here:
 * <ul>
 * <li>a response carries only the headers of {@link #RESPONSE_HEADERS}, which the routes set themselves;</li>
 * <li>a request header or query parameter with one of those names never becomes a message header, so it cannot be
 * answered back even by a route that does not set it;</li>
 * <li>Camel's own rules still apply (no {@code Camel*} header in or out).</li>
 * </ul>
 */
public final class ResponseHeaderPolicy extends HttpHeaderFilterStrategy {

    /** Every header a route of this project may answer with (lower case). */
    static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "set-cookie", "www-authenticate", "allow",
            "cache-control", "retry-after", "location", "content-security-policy", "x-content-type-options",
            "x-frame-options", "referrer-policy");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !RESPONSE_HEADERS.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return RESPONSE_HEADERS.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToExternalHeaders(headerName, headerValue, exchange);
    }
}
