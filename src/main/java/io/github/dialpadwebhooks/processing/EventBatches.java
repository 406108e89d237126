package io.github.dialpadwebhooks.processing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The Java helpers of the processing routes: grouping a claimed batch by event type, turning a group's end into a
 * {@link BatchOutcome}, and merging the outcomes of a split back into the batch's (it is the split's aggregation
 * strategy).
 */
public final class EventBatches implements AggregationStrategy {

    /** The claimed rows ({@code id}, {@code event_type}) grouped by type, in the order types first appear. */
    public List<EventGroup> byEventType(List<Map<String, Object>> rows) {
        Map<String, List<UUID>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            groups.computeIfAbsent((String) row.get("event_type"), t -> new ArrayList<>()).add(uuid(row.get("id")));
        }
        List<EventGroup> result = new ArrayList<>();
        groups.forEach((type, ids) -> result.add(new EventGroup(type, ids)));
        return result;
    }

    /** Every claimed id as a PostgreSQL array literal (to release the claims if the batch fails as a whole). */
    public String idArray(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get("id").toString()).collect(Collectors.joining(",", "{", "}"));
    }

    /** The group's outcome: what the failure handling decided, if a projection failed; else processed/skipped. */
    public BatchOutcome outcome(EventGroup group, String outcome, BatchOutcome failureOutcome) {
        return failureOutcome != null ? failureOutcome : BatchOutcome.of(group.getIds(), outcome);
    }

    public BatchOutcome retryOneByOne(EventGroup group) {
        return BatchOutcome.retryOneByOne(group);
    }

    /** The batch's outcome after the one-by-one pass (the second split's result, or the batch itself if none). */
    public BatchOutcome merge(BatchOutcome batch, Object secondPass) {
        return secondPass instanceof BatchOutcome more ? batch.merge(more) : batch;
    }

    public BatchOutcome failed(EventGroup group, Exception error) {
        return BatchOutcome.failed(group.getIds(), error);
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        BatchOutcome part = newExchange.getMessage().getBody(BatchOutcome.class);
        if (oldExchange == null) {
            newExchange.getMessage().setBody(BatchOutcome.empty().merge(part));
            return newExchange;
        }
        oldExchange.getMessage().getBody(BatchOutcome.class).merge(part);
        return oldExchange;
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID u ? u : UUID.fromString(value.toString());
    }
}
