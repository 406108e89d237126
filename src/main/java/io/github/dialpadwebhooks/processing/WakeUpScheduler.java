package io.github.dialpadwebhooks.processing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing consumer's scheduler ({@code scheduler: "#processingScheduler"} on process-webhook-events): polls
 * every {@code processor.poll-delay-ms} like Camel's own scheduler, and at once when {@link #wakeUp()} is called, i.e.
 * when this instance stored events or another instance's NOTIFY arrived ({@link EventNotifications}). An idle
 * processor then starts on a new event within milliseconds instead of at its next poll; the poll stays as the
 * fallback for every wake-up that is lost (a notification dropped, a listener reconnecting, PgBouncer in the path)
 * and for events that become claimable without an insert (a retry's back-off ending, a replay, a reprocess).
 *
 * <p>One thread, so polls never overlap, as with Camel's scheduler; the consumer's greedy option (poll again at once
 * while there is work) and its error back-off are the consumer's and work unchanged.
 */
public final class WakeUpScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(WakeUpScheduler.class);

    private final long delayMillis;
    private final long initialDelayMillis;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile Runnable task;
    private volatile Thread thread;
    private CamelContext camelContext;

    public WakeUpScheduler(long delayMillis, long initialDelayMillis) {
        this.delayMillis = delayMillis;
        this.initialDelayMillis = initialDelayMillis;
    }

    /** Poll now (or right after the poll in progress). Cheap and safe from any thread; wake-ups coalesce. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    @Override
    public void onInit(Consumer consumer) {
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    /** The consumer stops: the poll in progress finishes, then the thread ends (startScheduler starts a new one). */
    @Override
    public synchronized void unscheduleTask() {
        this.task = null;
        thread = null;
        wakeUp();
    }

    @Override
    public synchronized void startScheduler() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::loop, "process-webhook-events");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public boolean isSchedulerStarted() {
        return thread != null;
    }

    private void loop() {
        try {
            wakeUps.tryAcquire(initialDelayMillis, TimeUnit.MILLISECONDS);
            while (thread == Thread.currentThread()) {
                // a wake-up that arrives while this poll runs is kept for the next one
                wakeUps.drainPermits();
                Runnable t = task;
                if (t != null) {
                    try {
                        t.run();
                    } catch (RuntimeException e) {
                        LOG.warn("Processing poll failed: {}", e.getMessage());
                    }
                }
                wakeUps.tryAcquire(delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null && t != Thread.currentThread()) {
            wakeUp();
            // the poll in progress finishes its batch (Camel's graceful shutdown waits for it as well)
            t.join(60_000);
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
