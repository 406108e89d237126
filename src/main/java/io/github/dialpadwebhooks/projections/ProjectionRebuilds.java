package io.github.dialpadwebhooks.projections;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.github.dialpadwebhooks.admin.AdminRequestException;
import io.github.dialpadwebhooks.db.Database;
import io.github.dialpadwebhooks.db.SqlStatements;
import io.github.dialpadwebhooks.db.SwitchableDataSource;
import io.github.dialpadwebhooks.processing.BatchOutcome;
import io.github.dialpadwebhooks.processing.EventGroup;
import io.github.dialpadwebhooks.processing.EventGroups;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilding a projection without downtime (docs/rebuild.md). A projection is a table and its dependants (calls
 * with call_recordings, call_insights and call_interactions; agents with agent_status_history ...). A rebuild:
 * <ol>
 * <li>creates empty copies of its tables in schema {@code rebuild_<projection>} (rebuild_prepare, R__rebuild.sql);</li>
 * <li>sends every processed event of its types, in (processed_at, id) order, through the <em>current</em> router
 * ({@code direct:route-event-group}) on connections whose search_path puts that schema first
 * ({@link SwitchableDataSource}): the routes' own SQL files write the copies, while live processing keeps updating
 * the served tables; the cursor and counts are saved after each batch, so a rebuild cut off resumes there;</li>
 * <li>catches up with the events processed meanwhile, then, in one transaction holding ACCESS EXCLUSIVE locks on the
 * served tables, runs the last ones (and those claimed right now) and swaps the copies in (rebuild_swap). Readers
 * wait for that transaction, never see an empty or half-built table; a live batch blocked on the old table fails and
 * is retried against the new one.</li>
 * </ol>
 */
public final class ProjectionRebuilds extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRebuilds.class);

    /** The projections that can be rebuilt: their tables and which events feed them. */
    public record Projection(String name, List<String> tables, String typePattern) {
    }

    public static final Map<String, Projection> PROJECTIONS = new LinkedHashMap<>();

    static {
        add(new Projection("calls", List.of("calls", "call_recordings", "call_insights", "call_interactions"),
                "call.%"));
        add(new Projection("messages", List.of("messages"), "sms.%"));
        add(new Projection("contacts", List.of("contacts"), "contact.%"));
        add(new Projection("agents", List.of("agents", "agent_status_history"), "agent.status"));
        add(new Projection("change_log", List.of("change_log"), "change_log"));
    }

    private static void add(Projection p) {
        PROJECTIONS.put(p.name(), p);
    }

    private static final String BEGIN = SqlStatements.load("projections/rebuild-begin.sql");
    private static final String NEXT = SqlStatements.load("projections/rebuild-next-events.sql");
    private static final String SWAP_EVENTS = SqlStatements.load("projections/rebuild-swap-events.sql");
    private static final String PROGRESS = SqlStatements.load("projections/rebuild-progress.sql");
    private static final String END = SqlStatements.load("projections/rebuild-end.sql");

    private final CamelContext context;
    private final Database database;
    private final EventGroups groups;
    private final String owner;
    private final int batchSize;
    private final int workers;
    private final int leaseSeconds;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "projection-rebuild");
        t.setDaemon(true);
        return t;
    });
    private ProducerTemplate producer;

    public ProjectionRebuilds(CamelContext context, Database database, EventGroups groups, String owner, int batchSize,
            int workers, int leaseSeconds) {
        this.context = context;
        this.database = database;
        this.groups = groups;
        this.owner = owner;
        this.batchSize = batchSize;
        this.workers = Math.max(1, workers);
        this.leaseSeconds = leaseSeconds;
    }

    @Override
    protected void doStart() {
        producer = context.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        runner.shutdownNow();
        if (producer != null) {
            producer.stop();
        }
    }

    /**
     * POST /projections/{table}/rebuild: starts (or resumes, when one was cut off) the rebuild of the projection that
     * holds this table, in the background; answers with the rebuild's row. 404 unknown table, 409 one is running.
     */
    public Map<String, Object> start(String table, String requestedBy) throws SQLException {
        Projection projection = PROJECTIONS.values().stream().filter(p -> p.tables().contains(table)).findFirst()
                .orElseThrow(() -> new AdminRequestException(404, "not_found", "no projection holds table '" + table
                        + "'; tables: " + PROJECTIONS.values().stream().flatMap(p -> p.tables().stream()).toList()));
        Map<String, Object> row;
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(BEGIN)) {
            ps.setString(1, projection.name());
            ps.setArray(2, c.createArrayOf("text", projection.tables().toArray()));
            ps.setString(3, projection.typePattern());
            ps.setString(4, owner);
            ps.setInt(5, leaseSeconds);
            ps.setString(6, requestedBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                row = toMap(rs);
            }
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
                throw new AdminRequestException(409, "rebuild_in_progress", "a rebuild of " + projection.name()
                        + " is running");
            }
            throw e;
        }
        long id = ((Number) row.get("id")).longValue();
        runner.submit(() -> run(id, projection));
        return row;
    }

    /** The whole rebuild, on the rebuild thread. */
    void run(long id, Projection projection) {
        String schema = "rebuild_" + projection.name();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "projection-rebuild-worker");
            t.setDaemon(true);
            return t;
        });
        try (HikariDataSource copies = database.separatePool("rebuild-" + projection.name(), workers + 1,
                "SET search_path = " + schema + ", public")) {
            Map<String, Object> state = state(id);
            boolean fresh = state.get("cursor_processed_at") == null;
            try (Connection c = database.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT rebuild_prepare(?, ?, ?)")) {
                ps.setString(1, projection.name());
                ps.setArray(2, c.createArrayOf("text", projection.tables().toArray()));
                ps.setBoolean(3, fresh);
                ps.execute();
            }
            LOG.info("Rebuild {} of {}: {} events to run through the routes into schema {} ({} at a time){}", id,
                    projection.name(), state.get("total"), schema, workers,
                    fresh ? "" : " (resumed at " + state.get("done") + ")");
            // backfill and catch up, batch after batch, until a batch is not full: what is left (events processed
            // during the last batch) is run under the swap's lock. Batches are read in (processed_at, id) order and
            // up to `workers` of them run into the copies at once (merges: any order gives the same rows); the
            // cursor saved is always that of the last batch of an unbroken run of finished ones, so a rebuild cut
            // off resumes with nothing skipped (the batches after it run again: harmless)
            Timestamp cursorAt = null;
            Object cursorId = null;
            try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT cursor_processed_at, cursor_id FROM projection_rebuilds WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    cursorAt = rs.getTimestamp(1);
                    cursorId = rs.getObject(2);
                }
            }
            Deque<Batch> running = new ArrayDeque<>();
            int found;
            int batches = 0;
            try {
                do {
                    List<Map<String, Object>> rows = next(id, cursorAt, cursorId, batchSize);
                    found = rows.size();
                    if (found > 0) {
                        Map<String, Object> last = rows.get(found - 1);
                        cursorAt = (Timestamp) last.get("processed_at");
                        cursorId = last.get("id");
                        running.add(new Batch(rows, pool.submit(() -> {
                            project(rows, copies);
                            return null;
                        })));
                        while (running.size() >= workers) {
                            finish(id, running.poll());
                        }
                        batches++;
                        if (Integer.bitCount(batches) == 1) {
                            // the copies grow from nothing: fresh statistics after batch 1, 2, 4, 8 ... keep their
                            // plans (index lookups, not scans) as they do for the served tables
                            analyze(copies, projection);
                        }
                    }
                } while (found >= batchSize);
                while (!running.isEmpty()) {
                    finish(id, running.poll());
                }
            } finally {
                running.forEach(b -> b.done().cancel(true));
            }
            swap(id, projection, copies);
            LOG.info("Rebuild {} of {}: swapped in", id, projection.name());
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("Rebuild {} of {} failed (POST the rebuild again to resume it): {}", id, projection.name(),
                    cause.getMessage());
            end(id, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A batch of events running into the copies. */
    private record Batch(List<Map<String, Object>> rows, Future<Void> done) {
    }

    /** Waits for the batch, then saves the cursor after it and its count (and renews the lease). */
    private void finish(long id, Batch batch) throws Exception {
        batch.done().get();
        saveProgress(id, batch.rows());
    }

    /** The next processed events of the rebuild's types after the cursor, in (processed_at, id) order. */
    private List<Map<String, Object>> next(long id, Timestamp cursorAt, Object cursorId, int limit)
            throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(NEXT)) {
            ps.setTimestamp(1, cursorAt);
            ps.setObject(2, cursorId);
            ps.setLong(3, id);
            ps.setInt(4, limit);
            return rows(ps);
        }
    }

    private static List<Map<String, Object>> rows(PreparedStatement ps) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getObject("id"));
                row.put("event_type", rs.getString("event_type"));
                row.put("processed_at", rs.getTimestamp("processed_at"));
                row.put("received_at", rs.getTimestamp("received_at"));
                rows.add(row);
            }
        }
        return rows;
    }

    /** After a batch: its count, the cursor after its last event, the lease renewed. */
    private void saveProgress(long id, List<Map<String, Object>> rows) throws SQLException {
        Map<String, Object> last = rows.get(rows.size() - 1);
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(PROGRESS)) {
            ps.setInt(1, rows.size());
            // an event in flight at the swap has no processed_at: the cursor stays where it was
            Timestamp at = (Timestamp) last.get("processed_at");
            ps.setTimestamp(2, at);
            ps.setObject(3, at == null ? null : last.get("id"));
            ps.setInt(4, leaseSeconds);
            ps.setLong(5, id);
            ps.setString(6, owner);
            if (ps.executeUpdate() == 0) {
                throw new IllegalStateException("rebuild " + id + " is no longer this instance's (lease expired)");
            }
        }
    }

    /** The swap's events (SWAP_EVENTS, after the saved cursor) through the routes, then the cursor saved. */
    private void runSwapEvents(long id, HikariDataSource copies) throws Exception {
        List<Map<String, Object>> rows;
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(SWAP_EVENTS)) {
            ps.setLong(1, id);
            ps.setInt(2, Integer.MAX_VALUE);
            rows = rows(ps);
        }
        if (!rows.isEmpty()) {
            project(rows, copies);
            saveProgress(id, rows);
        }
    }

    /** These events through the current router, writing the copies; a failed group is retried event by event. */
    private void project(List<Map<String, Object>> rows, HikariDataSource copies) throws Exception {
        for (EventGroup group : groups.byRoute(rows)) {
            BatchOutcome outcome = send(group, copies);
            if (!outcome.getSinglesToRetry().isEmpty() || outcome.count(BatchOutcome.FAILED) > 0) {
                for (EventGroup single : group.getSingles()) {
                    BatchOutcome one = send(single, copies);
                    if (one.count(BatchOutcome.FAILED) > 0 || !one.getSinglesToRetry().isEmpty()) {
                        throw new IllegalStateException("event " + single.getIds().get(0) + " (" + single.getEventType()
                                + ") fails in the current routes: " + one);
                    }
                }
            }
        }
    }

    private BatchOutcome send(EventGroup group, HikariDataSource copies) throws Exception {
        return SwitchableDataSource.using(copies, () -> {
            Exchange done = producer.send("direct:route-event-group", e -> e.getMessage().setBody(group));
            if (done.getException() != null) {
                throw done.getException();
            }
            return done.getMessage().getBody(BatchOutcome.class);
        });
    }

    /**
     * The swap: locks the served tables, runs the events processed since the cursor and those claimed right now,
     * moves the copies in, re-creates the functions that took the old tables' row types, and marks it completed.
     */
    private void swap(long id, Projection projection, HikariDataSource copies) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '10s'");
                st.execute("LOCK TABLE " + String.join(", ", projection.tables().stream().map(t -> "public." + t)
                        .toList()) + " IN ACCESS EXCLUSIVE MODE");
            }
            // the last events: processed since the cursor, or claimed right now, read in one snapshot (no LIMIT: a
            // second read could miss an event moving from claimed to processed between the two)
            runSwapEvents(id, copies);
            try (PreparedStatement ps = c.prepareStatement("SELECT rebuild_swap(?, ?)")) {
                ps.setString(1, projection.name());
                ps.setArray(2, c.createArrayOf("text", projection.tables().toArray()));
                ps.execute();
            }
            try (Statement st = c.createStatement()) {
                // functions whose parameter was the old table's row type were dropped with it
                st.execute(migration("R__console.sql"));
            }
            try (PreparedStatement ps = c.prepareStatement(END)) {
                ps.setString(1, null);
                ps.setLong(2, id);
                ps.execute();
            }
            c.commit();
        }
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : projection.tables()) {
                st.execute("ANALYZE " + table);
            }
        }
    }

    private static void analyze(HikariDataSource copies, Projection projection) throws SQLException {
        try (Connection c = copies.getConnection(); Statement st = c.createStatement()) {
            for (String table : projection.tables()) {
                st.execute("ANALYZE " + table);
            }
        }
    }

    private void end(long id, String error) {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(END)) {
            ps.setString(1, error);
            ps.setLong(2, id);
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("Rebuild {}: its failure could not be recorded: {}", id, e.getMessage());
        }
    }

    /** The rebuild's row (projection_rebuilds). */
    public Map<String, Object> state(long id) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM projection_rebuilds WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return toMap(rs);
            }
        }
    }

    private static Map<String, Object> toMap(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            Object value = rs.getObject(i);
            if (value instanceof java.sql.Array array) {
                value = List.of((Object[]) array.getArray());
            } else if (value instanceof Timestamp t) {
                value = t.toInstant().toString();
            } else if (value instanceof java.time.OffsetDateTime o) {
                value = o.toInstant().toString();
            } else if (value instanceof UUID u) {
                value = u.toString();
            }
            row.put(rs.getMetaData().getColumnLabel(i), value);
        }
        return row;
    }

    private static String migration(String name) throws IOException {
        try (InputStream in = ProjectionRebuilds.class.getClassLoader().getResourceAsStream("db/migration/" + name)) {
            if (in == null) {
                throw new IOException("missing db/migration/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
