package io.github.dialpadwebhooks.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.dialpadwebhooks.operations.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how many webhooks still arrive signed with a previous secret during a rotation: the counter
 * {@code dialpad_webhooks_previous_secret_total{secret}} and a log line at most once a minute per secret with the
 * count since the last one. {@code secret} is "default" or the app whose own previous secret matched: configured
 * names only, so the labels and this map are bounded by the configuration.
 */
public final class PreviousSecretUse {

    private static final Logger LOG = LoggerFactory.getLogger(PreviousSecretUse.class);
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final PipelineMetrics metrics;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong sinceLog = new AtomicLong();
        volatile Instant lastLog;
    }

    /** @param metrics where the counter goes (null: logs only) */
    public PreviousSecretUse(PipelineMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    void record(String secret) {
        if (metrics != null) {
            metrics.previousSecretUsed(secret);
        }
        Window window = windows.computeIfAbsent(secret, s -> new Window());
        long count = window.sinceLog.incrementAndGet();
        Instant now = clock.instant();
        Instant last = window.lastLog;
        if (last == null || !now.isBefore(last.plus(LOG_EVERY))) {
            synchronized (window) {
                if (window.lastLog == last) {
                    window.lastLog = now;
                    window.sinceLog.addAndGet(-count);
                    LOG.warn("{} webhook(s) {} signed with the previous {} secret: the rotation is not finished "
                            + "(remove the previous secret once dialpad_webhooks_previous_secret_total stops growing)",
                            count, last == null ? "so far" : "in the last minute",
                            "default".equals(secret) ? "default" : "app '" + secret + "'");
                }
            }
        }
    }
}
