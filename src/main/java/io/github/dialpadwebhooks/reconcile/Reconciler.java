package io.github.dialpadwebhooks.reconcile;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.admin.AdminRequestException;
import io.github.dialpadwebhooks.db.SqlStatements;
import io.github.dialpadwebhooks.dialpad.DialpadApi;
import io.github.dialpadwebhooks.dialpad.DialpadApiKeys;
import io.github.dialpadwebhooks.ingest.DialpadEventNormaliser;
import io.github.dialpadwebhooks.ingest.StrictJson;
import org.postgresql.util.PGInterval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconcile with Dialpad's API (docs/reconcile.md): finds the calls this database never received as webhooks (the
 * receiver was down longer than Dialpad retries) and stores them as events, so the projections merge them like any
 * webhook.
 *
 * <p>A run of an app pages through {@code GET /api/v2/call} for the calls that started in its window (from the
 * watermark, less an overlap), then through {@code GET /api/v2/contacts}. Each page is stored in one transaction
 * through the ingest statement ({@code sql/ingest/insert-events.sql}: idempotent on the event id): a call log as
 * event type {@code call.reconciled} with id {@code reconcile:call:<call_id>:<date_ended>}, a contact as
 * {@code contact.reconciled} with id {@code reconcile:contact:<id>:<sha256 of its content>}, so a call or contact
 * seen again unchanged stores nothing. The same transaction saves the run's cursor and counts
 * ({@code reconcile_runs}, R__reconcile.sql): a run cut off is resumed from the page it had reached.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = SqlStatements.load("ingest/insert-events.sql");
    private static final String BEGIN = SqlStatements.load("reconcile/begin-run.sql");
    private static final String PROGRESS = SqlStatements.load("reconcile/save-progress.sql");
    private static final String END = SqlStatements.load("reconcile/end-run.sql");
    private static final String UNKNOWN = SqlStatements.load("reconcile/unknown-calls.sql");
    private static final String LAST_COMPLETED = SqlStatements.load("reconcile/last-completed.sql");

    /** How runs are made; see application.properties (reconcile.*). */
    public record Settings(Duration interval, Duration overlap, Duration firstRunLookback, Duration lease,
            boolean contacts, int maxPages) {
    }

    /** A run as it ended (or as it stands, when it failed). */
    public record Run(long id, String appId, String trigger, String status, String phase, String cursor,
            Instant windowFrom, Instant windowTo, int pages, int callsExamined, int callsStored,
            int callsWithoutWebhook, int contactsExamined, int contactsStored, int apiErrors, String error) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", id);
            m.put("app_id", appId);
            m.put("trigger", trigger);
            m.put("status", status);
            m.put("window_from", windowFrom.toString());
            m.put("window_to", windowTo.toString());
            m.put("pages", pages);
            m.put("calls_examined", callsExamined);
            m.put("calls_stored", callsStored);
            m.put("calls_without_webhook", callsWithoutWebhook);
            m.put("contacts_examined", contactsExamined);
            m.put("contacts_stored", contactsStored);
            m.put("api_errors", apiErrors);
            m.put("error", error);
            return m;
        }
    }

    /** Told of every run that ended (metrics). */
    public interface Listener {
        /** @param atStart the run as this call took it up (a resumed run's earlier counts are in both) */
        void runEnded(Run run, Run atStart);
    }

    private final DataSource dataSource;
    private final DialpadApiKeys keys;
    private final Function<String, DialpadApi> apiForKey;
    private final Settings settings;
    private final String owner;
    private final Listener listener;

    /**
     * @param apiForKey makes the API client for an app's key
     * @param owner this instance's id (processor.instance-id): who holds a run in progress
     */
    public Reconciler(DataSource dataSource, DialpadApiKeys keys, Function<String, DialpadApi> apiForKey,
            Settings settings, String owner, Listener listener) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.apiForKey = apiForKey;
        this.settings = settings;
        this.owner = owner;
        this.listener = listener;
    }

    public boolean isEnabled() {
        return !keys.isEmpty();
    }

    /**
     * The timer's call (reconcile-on-schedule): a run for every app with an API key, unless its last run completed
     * less than an interval ago (several instances share the schedule) or another instance holds one now.
     */
    public void runScheduled() {
        for (String app : keys.apps()) {
            try {
                Instant last = lastCompleted(app);
                if (last != null && last.isAfter(Instant.now().minus(settings.interval().multipliedBy(9).dividedBy(10)))) {
                    continue;
                }
                Run run = run(app, null, "timer");
                if ("failed".equals(run.status())) {
                    LOG.warn("Reconcile of app '{}' failed (it resumes at the next run): {}", app, run.error());
                } else if (run.callsWithoutWebhook() > 0) {
                    LOG.warn("Reconcile of app '{}': {} calls had never arrived as webhooks; stored now",
                            app, run.callsWithoutWebhook());
                }
            } catch (ReconcileBusyException busy) {
                LOG.debug("Reconcile of app '{}' skipped: {}", app, busy.getMessage());
            } catch (RuntimeException | SQLException e) {
                LOG.warn("Reconcile of app '{}' could not start: {}", app, e.getMessage());
            }
        }
    }

    /**
     * POST /reconcile?since=&app_id= (reconcile-on-request): one run, answered when it ends; 400 for a malformed
     * time, 409 without an API key or while another instance runs one, 502 when Dialpad's API failed.
     */
    public Map<String, Object> onRequest(String since, String appId) throws SQLException {
        String app = appId == null || appId.isBlank() ? DialpadApiKeys.DEFAULT_APP : appId.trim();
        Instant from = null;
        if (since != null && !since.isBlank()) {
            try {
                // a "+" offset left unencoded in the query string arrives as a space
                from = OffsetDateTime.parse(since.trim().replace(' ', '+')).toInstant();
            } catch (DateTimeParseException e) {
                throw new AdminRequestException(400, "invalid_parameter",
                        "since must be an ISO-8601 time with an offset, e.g. 2026-12-01T00:00:00Z");
            }
        }
        if (keys.keyOf(app).isEmpty()) {
            throw new AdminRequestException(409, "not_configured", "no Dialpad API key for app '" + app
                    + "' (DIALPAD_API_KEY, or dialpad.apps.<appId>.api-key)");
        }
        Run run;
        try {
            run = run(app, from, "admin");
        } catch (ReconcileBusyException busy) {
            throw new AdminRequestException(409, "reconcile_in_progress", busy.getMessage());
        }
        if ("failed".equals(run.status())) {
            throw new AdminRequestException(502, "dialpad_api_failed", "the run stopped (it resumes at the next run): "
                    + run.error() + "; run " + run.id() + " examined " + run.callsExamined() + " calls");
        }
        return run.toMap();
    }

    /** One run of an app: a new one from {@code since} if given, else the one cut off, else a new one. */
    public Run run(String app, Instant since, String trigger) throws SQLException {
        DialpadApi api = apiForKey.apply(keys.keyOf(app).orElseThrow(() -> new IllegalStateException(
                "no Dialpad API key for app '" + app + "'")));
        Run run = begin(app, since, trigger);
        Run atStart = run;
        LOG.info("Reconcile run {} of app '{}' ({}): calls started {} .. {}, {}", run.id(), app, trigger,
                run.windowFrom(), run.windowTo(), run.cursor() == null ? "from the first page" : "resumed at " + run.phase());
        int reported = 0;
        try {
            for (int pages = 0; !"done".equals(run.phase()); pages++) {
                if (pages >= settings.maxPages()) {
                    throw new IOException("more than " + settings.maxPages() + " pages in one run (reconcile.max-pages)");
                }
                boolean calls = "calls".equals(run.phase());
                Map<String, String> query = new LinkedHashMap<>();
                if (calls) {
                    query.put("started_after", Long.toString(run.windowFrom().toEpochMilli()));
                    query.put("started_before", Long.toString(run.windowTo().toEpochMilli()));
                }
                DialpadApi.Page page = api.page(calls ? "/api/v2/call" : "/api/v2/contacts", query, run.cursor());
                String next = page.cursor() != null && page.cursor().equals(run.cursor()) ? null : page.cursor();
                String phase = next != null ? run.phase() : calls && settings.contacts() ? "contacts" : "done";
                int errors = api.errors() - reported;
                reported += errors;
                run = calls ? storeCalls(run, page.items(), phase, next, errors)
                        : storeContacts(run, page.items(), phase, next, errors);
            }
            run = end(run, null, api.errors() - reported);
        } catch (IOException | RuntimeException e) {
            run = end(run, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    api.errors() - reported);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run = end(run, "interrupted (shutdown)", api.errors() - reported);
        }
        LOG.info("Reconcile run {} of app '{}' {}: {} calls examined, {} stored, {} without a webhook; {} contacts "
                + "examined, {} stored; {} API errors", run.id(), app, run.status(), run.callsExamined(),
                run.callsStored(), run.callsWithoutWebhook(), run.contactsExamined(), run.contactsStored(),
                run.apiErrors());
        if (listener != null) {
            listener.runEnded(run, atStart);
        }
        return run;
    }

    private Run storeCalls(Run run, List<JsonNode> items, String phase, String cursor, int errors) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        List<Long> callIds = new ArrayList<>();
        for (JsonNode call : items) {
            Long id = integer(call.get("call_id"));
            if (id == null) {
                continue;
            }
            callIds.add(id);
            rows.add(new String[] {"call.reconciled", "reconcile:call:" + id + ":" + text(call.get("date_ended")),
                    call.toString()});
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int unknown;
                try (PreparedStatement ps = c.prepareStatement(UNKNOWN)) {
                    ps.setString(1, run.appId());
                    ps.setArray(2, c.createArrayOf("bigint", callIds.toArray()));
                    unknown = single(ps).getInt(1);
                }
                int stored = insert(c, run.appId(), rows);
                Run saved = progress(c, run, phase, cursor, items.size(), stored, unknown, 0, 0, errors);
                c.commit();
                return saved;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Run storeContacts(Run run, List<JsonNode> items, String phase, String cursor, int errors)
            throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode contact : items) {
            String id = text(contact.get("id"));
            if (id.isEmpty() || !contact.isObject()) {
                continue;
            }
            String payload = JSON.createObjectNode().set("contact", contact).toString();
            rows.add(new String[] {"contact.reconciled", "reconcile:contact:" + id + ":"
                    + DialpadEventNormaliser.sha256Hex(StrictJson.canonical(contact)), payload});
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int stored = insert(c, run.appId(), rows);
                Run saved = progress(c, run, phase, cursor, 0, 0, 0, items.size(), stored, errors);
                c.commit();
                return saved;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The ingest statement for these rows: how many were new. */
    private static int insert(Connection c, String app, List<String[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        String[] apps = new String[rows.size()];
        String[] types = new String[rows.size()];
        String[] ids = new String[rows.size()];
        String[] payloads = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            apps[i] = app;
            types[i] = rows.get(i)[0];
            ids[i] = rows.get(i)[1];
            payloads[i] = rows.get(i)[2];
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", apps));
            ps.setArray(2, c.createArrayOf("text", types));
            ps.setArray(3, c.createArrayOf("text", ids));
            ps.setArray(4, c.createArrayOf("text", payloads));
            // no traceparent: a reconciled event was not received by a traced request
            ps.setArray(5, c.createArrayOf("text", new String[payloads.length]));
            int stored = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored++;
                }
            }
            return stored;
        }
    }

    private Run begin(String app, Instant since, String trigger) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(BEGIN)) {
            ps.setString(1, app);
            ps.setString(2, owner);
            ps.setString(3, trigger);
            ps.setTimestamp(4, since == null ? null : Timestamp.from(since));
            ps.setObject(5, interval(settings.overlap()));
            ps.setObject(6, interval(settings.firstRunLookback()));
            ps.setObject(7, interval(settings.lease()));
            return run(single(ps));
        } catch (SQLException e) {
            // lock_not_available: another instance holds a run of the app; unique_violation: it began one just now
            if ("55P03".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
                throw new ReconcileBusyException(e.getSQLState().equals("23505")
                        ? "a reconcile run of app '" + app + "' is in progress on another instance"
                        : firstLine(e.getMessage()));
            }
            throw e;
        }
    }

    private Run progress(Connection c, Run run, String phase, String cursor, int callsExamined, int callsStored,
            int unknown, int contactsExamined, int contactsStored, int errors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PROGRESS)) {
            ps.setString(1, phase);
            ps.setString(2, cursor);
            ps.setInt(3, callsExamined);
            ps.setInt(4, callsStored);
            ps.setInt(5, unknown);
            ps.setInt(6, contactsExamined);
            ps.setInt(7, contactsStored);
            ps.setInt(8, errors);
            ps.setObject(9, interval(settings.lease()));
            ps.setLong(10, run.id());
            ps.setString(11, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("reconcile run " + run.id() + " was taken over by another "
                            + "instance (its lease of " + settings.lease() + " expired)");
                }
                return run(rs);
            }
        }
    }

    private Run end(Run run, String error, int errors) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(END)) {
            ps.setLong(1, run.id());
            ps.setString(2, owner);
            ps.setString(3, error);
            ps.setInt(4, errors);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? run(rs) : run;
            }
        } catch (SQLException e) {
            LOG.warn("Reconcile run {}: its end could not be recorded ({}); it is resumed when its lease expires",
                    run.id(), e.getMessage());
            return new Run(run.id(), run.appId(), run.trigger(), "failed", run.phase(), run.cursor(), run.windowFrom(),
                    run.windowTo(), run.pages(), run.callsExamined(), run.callsStored(), run.callsWithoutWebhook(),
                    run.contactsExamined(), run.contactsStored(), run.apiErrors() + errors,
                    error != null ? error : e.getMessage());
        }
    }

    private Instant lastCompleted(String app) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LAST_COMPLETED)) {
            ps.setString(1, app);
            Timestamp t = single(ps).getTimestamp(1);
            return t == null ? null : t.toInstant();
        }
    }

    private static ResultSet single(PreparedStatement ps) throws SQLException {
        ResultSet rs = ps.executeQuery();
        if (!rs.next()) {
            throw new SQLException("no row from " + ps);
        }
        return rs;
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getLong("id"), rs.getString("app_id"), rs.getString("trigger"), rs.getString("status"),
                rs.getString("phase"), rs.getString("cursor"), rs.getTimestamp("window_from").toInstant(),
                rs.getTimestamp("window_to").toInstant(), rs.getInt("pages"), rs.getInt("calls_examined"),
                rs.getInt("calls_stored"), rs.getInt("calls_without_webhook"), rs.getInt("contacts_examined"),
                rs.getInt("contacts_stored"), rs.getInt("api_errors"), rs.getString("error"));
    }

    private static PGInterval interval(Duration d) throws SQLException {
        return new PGInterval(0, 0, 0, 0, 0, d.toMillis() / 1000.0);
    }

    /** A Dialpad int64: a JSON number or a string of digits (how Dialpad's examples send them). */
    static Long integer(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.textValue().matches("\\d{1,18}")) {
            return Long.parseLong(node.textValue());
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String first = message.lines().findFirst().orElse("");
        return first.startsWith("ERROR: ") ? first.substring(7) : first;
    }

    /** Another instance holds a run of the app. */
    public static final class ReconcileBusyException extends RuntimeException {
        public ReconcileBusyException(String message) {
            super(message);
        }
    }
}
