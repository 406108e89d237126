package io.github.dialpadwebhooks.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.db.SqlStatements;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log (table {@code audit_log}): every state-changing admin call is recorded once it is answered, whatever
 * the answer: who ({@link AdminAuthorization#ACTOR_PROPERTY}: the token's fingerprint, a console session or a
 * loopback client in open mode), from where, which route, the query parameters it was called with, its status and, when the answer is a small JSON object, the answer (the counts). Runs as the admin-api
 * route configuration's onCompletion, before the answer leaves.
 */
public final class AuditLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = SqlStatements.load("operations/insert-audit-entry.sql");
    /** Query parameters worth keeping: the filter vocabulary of the admin API (never a token or a cookie). */
    private static final java.util.Set<String> PARAMETERS = java.util.Set.of("event_type", "app_id", "from", "to",
            "error", "all", "outcome", "dialpad_event_id", "since", "reason", "dry_run", "replayed", "id", "table");

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String method = exchange.getProperty(AdminAuthorization.METHOD_PROPERTY, String.class);
        if (method == null || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, exchange.getProperty(AdminAuthorization.ACTOR_PROPERTY, "unknown", String.class));
            ps.setString(2, exchange.getProperty(AdminAuthorization.CLIENT_PROPERTY, String.class));
            ps.setString(3, exchange.getFromRouteId());
            ps.setString(4, method);
            ps.setString(5, exchange.getProperty(AdminAuthorization.PATH_PROPERTY, "", String.class));
            ps.setString(6, JSON.writeValueAsString(filter(exchange)));
            Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            ps.setInt(7, status == null ? 200 : status);
            ps.setString(8, result(message.getBody(String.class)));
            ps.executeUpdate();
        } catch (Exception e) {
            LOG.warn("Audit log: the {} {} call could not be recorded: {}", method,
                    exchange.getProperty(AdminAuthorization.PATH_PROPERTY), e.getMessage());
        }
    }

    private static Map<String, Object> filter(Exchange exchange) {
        Map<String, Object> filter = new TreeMap<>();
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            if (PARAMETERS.contains(header.getKey()) && header.getValue() != null) {
                filter.put(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        return filter;
    }

    /** The answer when it is a JSON object of at most 2,000 characters, else null. */
    private static String result(String body) {
        if (body == null || body.length() > 2000) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node.toString() : null;
        } catch (Exception notJson) {
            return null;
        }
    }
}
