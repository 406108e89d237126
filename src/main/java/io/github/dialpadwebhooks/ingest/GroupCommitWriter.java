package io.github.dialpadwebhooks.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.github.dialpadwebhooks.db.SqlStatements;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the ingest: the rows of concurrent webhook requests are inserted together, in one statement
 * ({@code sql/ingest/insert-events.sql}: {@code INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING
 * RETURNING}) and one commit, by a few writer
 * threads; each request waits for its own row's commit and only then is answered. PostgreSQL then pays one commit
 * (one WAL flush) per group instead of one per webhook, which is what limits a one-INSERT-per-request design.
 *
 * <p>Semantics are the single-row INSERT's: a 2xx only after the commit; the same event twice in one group is one
 * row (the first request gets "accepted", the others "duplicate"); a group that fails on its data is retried row by
 * row so one bad row cannot fail the others; any other failure fails every request of the group (503).
 *
 * <p>Used by the ingest route as {@code bean: groupCommitWriter, method: store}: reads the Map body that
 * {@link VerifyAndNormaliseWebhook} made and sets header {@code storedEventId} (null for a duplicate) as the camel-sql
 * INSERT would.
 */
public final class GroupCommitWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String INSERT = SqlStatements.load("ingest/insert-events.sql");

    private final DataSource dataSource;
    private final int maxGroup;
    private final int writers;
    private final long timeoutMillis;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong rowByRowRetries = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private volatile Runnable onStored = () -> { };

    /** One request's row and the future its request thread waits on. */
    private record Pending(String appId, String eventType, String dialpadEventId, String payload,
            String traceparent, CompletableFuture<UUID> stored) {
        String key() {
            return appId + '\u0000' + dialpadEventId;
        }
    }

    public GroupCommitWriter(DataSource dataSource, int maxGroup, int writers, long timeoutMillis) {
        this.dataSource = dataSource;
        this.maxGroup = maxGroup;
        this.writers = writers;
        this.timeoutMillis = timeoutMillis;
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, maxGroup * writers * 4));
    }

    /** Exchange property: the storing span's W3C traceparent (set by eventTracing when tracing is on), or absent. */
    public static final String TRACEPARENT = "traceparent";

    /** Stores the row of the exchange's Map body; header storedEventId = the new row's id, or null (duplicate). */
    public void store(Exchange exchange) throws Exception {
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        Pending pending = new Pending((String) row.get(VerifyAndNormaliseWebhook.APP_ID),
                (String) row.get(VerifyAndNormaliseWebhook.EVENT_TYPE),
                (String) row.get(VerifyAndNormaliseWebhook.DIALPAD_EVENT_ID),
                (String) row.get(VerifyAndNormaliseWebhook.PAYLOAD),
                exchange.getProperty(TRACEPARENT, String.class), new CompletableFuture<>());
        if (!running || !queue.offer(pending, timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new SQLException("the ingest writer is saturated or stopped", "08000");
        }
        try {
            exchange.getMessage().setHeader("storedEventId", pending.stored().get(timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            // the row may still commit: the sender's retry will then be answered "duplicate"
            throw new SQLException("the database did not confirm the row in time", "57014", e);
        }
    }

    @Override
    protected void doStart() {
        running = true;
        startWriters();
    }

    void startWriters() {
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::writeLoop, "ingest-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(timeoutMillis + 1000);
        }
        threads.clear();
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.stored().completeExceptionally(new SQLException("shutting down", "57P01")));
    }

    /** Called after a group committed new rows (the processors' wake-up: processing/EventNotifications). */
    public void onStored(Runnable listener) {
        this.onStored = listener;
    }

    /** Groups that PostgreSQL refused on one row's data and that were therefore written row by row. */
    public long rowByRowRetries() {
        return rowByRowRetries.get();
    }

    /** Tests: rows are accepted and queue up, unwritten until {@link #startWriters()}: the next group is all of them. */
    void acceptWithoutWriting() {
        running = true;
    }

    int queued() {
        return queue.size();
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                // take whatever else is already waiting: the group grows with the load, no timer to wait for
                queue.drainTo(group, maxGroup - 1);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Ingest writer failure", e);
                group.forEach(p -> p.stored().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Pending> group) {
        try {
            insert(group);
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (group.size() > 1 && state != null && (state.startsWith("22") || state.startsWith("54"))) {
                // one row's data is refused: the others must not fail with it
                rowByRowRetries.incrementAndGet();
                for (Pending p : group) {
                    write(List.of(p));
                }
            } else {
                group.forEach(p -> p.stored().completeExceptionally(e));
            }
        }
    }

    private void insert(List<Pending> group) throws SQLException {
        // the first request of each (app_id, dialpad_event_id) inserts; later ones in the group are duplicates
        Map<String, Pending> firsts = new LinkedHashMap<>();
        for (Pending p : group) {
            firsts.putIfAbsent(p.key(), p);
        }
        int n = firsts.size();
        String[] appIds = new String[n];
        String[] eventTypes = new String[n];
        String[] dialpadEventIds = new String[n];
        String[] payloads = new String[n];
        String[] traceparents = new String[n];
        int i = 0;
        for (Pending p : firsts.values()) {
            appIds[i] = p.appId();
            eventTypes[i] = p.eventType();
            dialpadEventIds[i] = p.dialpadEventId();
            traceparents[i] = p.traceparent();
            payloads[i++] = p.payload();
        }
        Map<String, UUID> inserted = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", appIds));
            ps.setArray(2, c.createArrayOf("text", eventTypes));
            ps.setArray(3, c.createArrayOf("text", dialpadEventIds));
            ps.setArray(4, c.createArrayOf("text", payloads));
            ps.setArray(5, c.createArrayOf("text", traceparents));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.put(rs.getString(2) + '\u0000' + rs.getString(3), (UUID) rs.getObject(1));
                }
            }
        }
        // autocommit: the statement is committed here, before any request is answered
        if (!inserted.isEmpty()) {
            try {
                onStored.run();
            } catch (RuntimeException e) {
                LOG.debug("Wake-up after a store failed: {}", e.getMessage());
            }
        }
        for (Pending p : group) {
            UUID id = firsts.get(p.key()) == p ? inserted.get(p.key()) : null;
            p.stored().complete(id);
        }
    }
}
