package io.github.dialpadwebhooks.processing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.dialpadwebhooks.Failures;
import org.apache.camel.support.service.ServiceSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Millisecond wake-up across instances with PostgreSQL's LISTEN/NOTIFY (docs/design.md#wake-up).
 *
 * <ul>
 * <li><b>Notify</b> (an instance that ingests): after a group of webhooks commits, {@link #stored()} asks one
 * notifier thread to run {@code NOTIFY dialpad_webhook_events}, in its own short transaction (never the ingest's,
 * whose commit NOTIFY's queue lock would serialise) with {@code synchronous_commit} off (a notification lost in a
 * crash costs one poll interval, nothing else). Requests coalesce: at most one NOTIFY at a time, and at most one per
 * {@code processor.wake-up.notify-interval-ms}, however many webhooks arrive.</li>
 * <li><b>Listen</b> (an instance that processes): one dedicated connection LISTENs (a session-level feature, hence
 * its own connection, on {@code database.direct-url}, by default the database URL: PostgreSQL itself, not PgBouncer
 * in transaction mode); a notification wakes the {@link WakeUpScheduler}. When the
 * connection drops it reconnects after a second; meanwhile the poll does the work.</li>
 * </ul>
 * The local processor is woken directly by the ingest, without the database ({@link #stored()}).
 */
public final class EventNotifications extends ServiceSupport {

    static final String CHANNEL = "dialpad_webhook_events";
    private static final Logger LOG = LoggerFactory.getLogger(EventNotifications.class);

    /** Opens the listener's own connection. */
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final DataSource pool;
    private final ConnectionFactory listenConnection;
    private final WakeUpScheduler localProcessor;
    private final long notifyIntervalMillis;
    private final Semaphore notifyRequests = new Semaphore(0);
    private volatile boolean running;
    private volatile Connection listening;
    private Thread notifier;
    private Thread listener;

    /**
     * @param pool the pool NOTIFY runs on; null: this instance does not ingest, it sends nothing
     * @param listenConnection null: this instance does not process, it does not listen
     * @param localProcessor null when this instance does not process
     */
    public EventNotifications(DataSource pool, ConnectionFactory listenConnection, WakeUpScheduler localProcessor,
            long notifyIntervalMillis) {
        this.pool = pool;
        this.listenConnection = listenConnection;
        this.localProcessor = localProcessor;
        this.notifyIntervalMillis = notifyIntervalMillis;
    }

    /** Called by the ingest after new events committed: wake the local processor now, the others by NOTIFY. */
    public void stored() {
        if (localProcessor != null) {
            localProcessor.wakeUp();
        }
        if (pool != null && notifyRequests.availablePermits() == 0) {
            notifyRequests.release();
        }
    }

    @Override
    protected void doStart() {
        running = true;
        if (pool != null) {
            notifier = thread(this::notifyLoop, "wake-up-notify");
        }
        if (listenConnection != null && localProcessor != null) {
            listener = thread(this::listenLoop, "wake-up-listen");
        }
    }

    private static Thread thread(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void notifyLoop() {
        while (running) {
            try {
                if (!notifyRequests.tryAcquire(500, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                notifyRequests.drainPermits();
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("SET LOCAL synchronous_commit = off");
                    st.execute("NOTIFY " + CHANNEL);
                    c.commit();
                    c.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.debug("NOTIFY failed (the other instances poll instead): {}", e.getMessage());
                }
                if (notifyIntervalMillis > 0) {
                    Thread.sleep(notifyIntervalMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void listenLoop() {
        boolean warned = false;
        while (running) {
            try (Connection c = listenConnection.open(); Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
                listening = c;
                if (warned) {
                    LOG.info("Listening for new events again");
                    warned = false;
                }
                // events stored while not listening: the poll after this wake-up finds them
                localProcessor.wakeUp();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        localProcessor.wakeUp();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warn("Not listening for new events ({}); polling every processor.poll-delay-ms until the "
                            + "connection is back", Failures.rootMessage(e));
                    warned = true;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                listening = null;
            }
        }
    }

    /** Whether the listener is connected (tests, /stats). */
    public boolean isListening() {
        return listening != null;
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing the listener's connection: {}", e.getMessage());
            }
        }
        for (Thread t : new Thread[] {notifier, listener}) {
            if (t != null) {
                t.interrupt();
                t.join(5000);
            }
        }
        notifier = null;
        listener = null;
    }
}
