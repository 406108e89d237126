package io.github.dialpadwebhooks.processing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dialpadwebhooks.Failures;

/**
 * How each claimed event of a batch ended: {@code processed}, {@code skipped} (no handler) or {@code failed} (with the
 * error). The consumer's {@code onConsume} statement records it in one round trip, as JSON.
 */
public final class BatchOutcome {

    public static final String PROCESSED = "processed";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";
    /** A failure on the event's last attempt, as record_outcomes records it (R__processing.sql). */
    public static final String DEAD_LETTERED = "dead_lettered";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_LENGTH = 2000;

    private final Map<UUID, Map<String, Object>> outcomes = new LinkedHashMap<>();
    private final List<EventGroup> retryOneByOne = new ArrayList<>();

    /** A group that failed as a whole: no outcome yet, its events are to be tried again one by one. */
    public static BatchOutcome retryOneByOne(EventGroup group) {
        BatchOutcome result = new BatchOutcome();
        result.retryOneByOne.addAll(group.getSingles());
        return result;
    }

    /** The single-event groups still to try (from groups that failed as a whole). */
    public List<EventGroup> getSinglesToRetry() {
        return List.copyOf(retryOneByOne);
    }

    public static BatchOutcome empty() {
        return new BatchOutcome();
    }

    public static BatchOutcome of(Collection<UUID> ids, String outcome) {
        BatchOutcome result = new BatchOutcome();
        ids.forEach(id -> result.put(id, outcome, null, null));
        return result;
    }

    public static BatchOutcome failed(Collection<UUID> ids, Throwable error) {
        BatchOutcome result = new BatchOutcome();
        String errorClass = error == null ? null : Failures.root(error).getClass().getName();
        String message = error == null ? "unknown error" : describe(error);
        ids.forEach(id -> result.put(id, FAILED, errorClass, message));
        return result;
    }

    /** Adds the other's outcomes; an event that has an outcome now is no longer waiting for a retry. */
    public BatchOutcome merge(BatchOutcome other) {
        if (other != null && other != this) {
            outcomes.putAll(other.outcomes);
            retryOneByOne.addAll(other.retryOneByOne);
            retryOneByOne.removeIf(g -> outcomes.keySet().containsAll(g.getIds()));
        }
        return this;
    }

    private void put(UUID id, String outcome, String errorClass, String error) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id.toString());
        row.put("outcome", outcome);
        row.put("error_class", errorClass);
        row.put("error", error);
        outcomes.put(id, row);
    }

    /**
     * The outcome of one claimed row (a row of sql/processing/claim-events.sql) as onConsume will record it: a failure
     * on the event's last attempt (its {@code last_attempt} column) is dead-lettered. Null: no outcome in this batch.
     */
    public String outcomeOf(Map<String, Object> claimedRow) {
        String result = outcomeOf(claimedRow.get("id").toString());
        return FAILED.equals(result) && Boolean.TRUE.equals(claimedRow.get("last_attempt")) ? DEAD_LETTERED : result;
    }

    /** When a claimed row was stored (its {@code received_at} column), or null. */
    public static java.time.Instant receivedAt(Map<String, Object> claimedRow) {
        Object value = claimedRow.get("received_at");
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return null;
    }

    /** processed / skipped / failed for this event id, or null if the batch has no outcome for it. */
    public String outcomeOf(String id) {
        Map<String, Object> row = outcomes.get(UUID.fromString(id));
        return row == null ? null : (String) row.get("outcome");
    }

    public int count(String outcome) {
        return (int) outcomes.values().stream().filter(r -> outcome.equals(r.get("outcome"))).count();
    }

    public int getSize() {
        return outcomes.size();
    }

    public int getProcessed() {
        return count(PROCESSED);
    }

    public int getSkipped() {
        return count(SKIPPED);
    }

    public int getFailed() {
        return count(FAILED);
    }

    /** {@code [{"id": ..., "outcome": ..., "error_class": ..., "error": ...}, ...]} for jsonb_to_recordset. */
    public String getJson() {
        try {
            return MAPPER.writeValueAsString(new ArrayList<>(outcomes.values()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The innermost cause's message: for SQL failures, PostgreSQL's own text (e.g. a trigger's RAISE). */
    static String describe(Throwable error) {
        Throwable root = Failures.root(error);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
    }

    @Override
    public String toString() {
        return "processed=" + getProcessed() + " skipped=" + getSkipped() + " failed=" + getFailed()
                + (retryOneByOne.isEmpty() ? "" : " to retry one by one=" + retryOneByOne.size());
    }
}
