package io.github.dialpadwebhooks.processing;

import java.util.concurrent.atomic.AtomicLong;

import io.github.dialpadwebhooks.Failures;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL consumer's exception handler: a failed poll (typically the database being away) is logged as one short
 * line with its root cause, at most every 30 s at WARN (DEBUG in between), instead of Camel's default, which
 * repeats the whole consumer URI (every statement) with a stack trace on each poll. Readiness and the lag gauge
 * say the rest.
 */
public final class PollFailureLogger implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger("process-webhook-events");
    private static final long QUIET_MILLIS = 30_000;

    private final AtomicLong lastWarn = new AtomicLong();

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String what = Failures.rootMessage(exception);
        long now = System.currentTimeMillis();
        long last = lastWarn.get();
        if (now - last >= QUIET_MILLIS && lastWarn.compareAndSet(last, now)) {
            LOG.warn("Polling for events failed (will retry, with back-off): {}", what);
        } else {
            LOG.debug("Polling for events failed: {}", what);
        }
    }
}
