package io.github.dialpadwebhooks.processing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a batch's groups ended, for the processing routes: a group's {@link BatchOutcome} (processed, skipped, or what
 * failures/processing-failures decided), and the merge of the groups' outcomes into the batch's (the splits'
 * aggregation strategy).
 */
public final class BatchOutcomes implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOutcomes.class);
    private static final int TYPES_NAMED = 10;

    /** The group's outcome: what the failure handling decided, if a projection failed; else processed/skipped. */
    public BatchOutcome outcome(EventGroup group, String outcome, BatchOutcome failureOutcome) {
        return failureOutcome != null ? failureOutcome : BatchOutcome.of(group.getIds(), outcome);
    }

    /** A group that failed as a whole: its events are to be tried again one by one. */
    public BatchOutcome retryOneByOne(EventGroup group) {
        return BatchOutcome.retryOneByOne(group);
    }

    /** A single event whose projection failed. */
    public BatchOutcome failed(EventGroup group, Exception error) {
        return BatchOutcome.failed(group.getIds(), error);
    }

    /** The batch's outcome after the one-by-one pass (the second split's result, or the batch itself if none). */
    public BatchOutcome merge(BatchOutcome batch, Object secondPass) {
        return secondPass instanceof BatchOutcome more ? batch.merge(more) : batch;
    }

    /**
     * One line per batch for the events skipped because no route projects their type, naming at most ten types:
     * senders choose event types (envelopes), so a line per type could be a flood.
     */
    public void logSkipped(List<Map<String, Object>> claimed, BatchOutcome batch) {
        int skipped = batch.getSkipped();
        if (skipped == 0) {
            return;
        }
        Set<String> types = new LinkedHashSet<>();
        for (Map<String, Object> row : claimed) {
            if (BatchOutcome.SKIPPED.equals(batch.outcomeOf(row.get("id").toString()))) {
                types.add(String.valueOf(row.get("event_type")));
            }
        }
        String named = String.join(", ", types.stream().limit(TYPES_NAMED).map(t -> "'" + t + "'").toList());
        LOG.warn("No projection for {} event(s) of type {}{}: marked skipped", skipped, named,
                types.size() > TYPES_NAMED ? " and " + (types.size() - TYPES_NAMED) + " other type(s)" : "");
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
}
