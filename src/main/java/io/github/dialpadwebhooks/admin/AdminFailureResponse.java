package io.github.dialpadwebhooks.admin;

import io.github.dialpadwebhooks.Failures;
import io.github.dialpadwebhooks.ingest.JsonResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's error answers: 401 without the token, 403 for a cross-site or CSRF-less POST, the status an
 * {@link AdminRequestException} names (e.g. 409 reconcile in progress), 400 for parameters PostgreSQL cannot read (a malformed id,
 * time or number: SQLSTATE class 22), 503 when the database is unreachable, 500 otherwise. JSON, no stack trace.
 */
public final class AdminFailureResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AdminFailureResponse.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof AdminUnauthorizedException) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            JsonResponses.error(exchange, 401, "unauthorized", failure.getMessage());
            return;
        }
        if (failure instanceof AdminForbiddenException) {
            JsonResponses.error(exchange, 403, "forbidden", failure.getMessage());
            return;
        }
        // thrown by a bean a route calls: it may come wrapped (e.g. in a RuntimeBeanExpressionException)
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AdminRequestException request) {
                JsonResponses.error(exchange, request.status(), request.code(), request.getMessage());
                return;
            }
        }
        String sqlState = Failures.sqlState(failure);
        if (sqlState != null && sqlState.startsWith("22")) {
            JsonResponses.error(exchange, 400, "invalid_parameter", "a parameter is malformed (ids are UUIDs, "
                    + "times ISO-8601, limit and offset non-negative integers)");
        } else if (sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57"))
                || failure instanceof org.springframework.jdbc.CannotGetJdbcConnectionException) {
            LOG.warn("Admin API: database unavailable: {}", failure.getMessage());
            JsonResponses.error(exchange, 503, "unavailable", "the database is unavailable; retry later");
        } else {
            LOG.error("Admin API failure", failure);
            JsonResponses.error(exchange, 500, "internal_error", "unexpected error; see the service log");
        }
    }
}
