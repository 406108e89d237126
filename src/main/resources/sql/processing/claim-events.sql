-- The claim (process-webhook-events' consumer query): a batch of unprocessed events whose lease or back-off has
-- passed, oldest first, skipping rows another instance is claiming right now. Every claim counts as an attempt and
-- holds the events for processor.lease-seconds. Parameters are bound from properties, never pasted into the text.
WITH orphaned AS (
    -- this instance polls one batch at a time, so a claim it still holds when it polls is orphaned (its batch was
    -- cut off, e.g. by a database outage): claimable again at once instead of after its lease
    UPDATE webhook_events SET available_at = now()
    WHERE claimed_by = :#${properties:processor.instance-id}
      AND processed_at IS NULL
      AND available_at > now()
    RETURNING id),
claimable AS (
    -- live events (priority 0) before reprocessed ones (1), oldest first; nothing while an operator has paused
    -- processing (processing_control, POST /processing/pause)
    SELECT id, received_at FROM webhook_events
    WHERE processed_at IS NULL
      AND available_at <= now()
      AND NOT (SELECT paused FROM processing_control)
    ORDER BY priority, available_at
    LIMIT CAST(:#${properties:processor.batch-size} AS integer)
    FOR UPDATE SKIP LOCKED),
claimed AS (
    UPDATE webhook_events AS e SET
        attempts = e.attempts + 1,
        claimed_by = :#${properties:processor.instance-id},
        claimed_at = now(),
        available_at = now() + make_interval(secs => CAST(:#${properties:processor.lease-seconds} AS integer)),
        -- an event claimed max-redeliveries + 1 times that never finished (its instance died or stopped while
        -- holding it, or its whole batch kept failing) is abandoned: dead-lettered here instead of tried again, so a
        -- crash loop cannot retry a poison event forever
        processed_at = CASE WHEN attempts_exhausted(e.attempts, CAST(:#${properties:processor.max-redeliveries} AS integer))
                            THEN now() END,
        outcome = CASE WHEN attempts_exhausted(e.attempts, CAST(:#${properties:processor.max-redeliveries} AS integer))
                       THEN 'dead_lettered' END,
        last_error = CASE WHEN attempts_exhausted(e.attempts, CAST(:#${properties:processor.max-redeliveries} AS integer))
                          THEN 'abandoned: ' || e.attempts || ' attempts never finished (the instance died or stopped '
                               || 'while processing, or its whole batch failed): '
                               || COALESCE(e.last_error, 'no error recorded')
                          ELSE e.last_error END
    FROM claimable
    -- the whole primary key: each row is found in its own day partition (docs/partitioning.md)
    WHERE e.id = claimable.id AND e.received_at = claimable.received_at
    RETURNING e.id, e.app_id, e.event_type, e.dialpad_event_id, e.payload, e.attempts, e.outcome, e.last_error,
              e.received_at, e.traceparent),
abandoned AS (
    INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, error_class,
                                      error_message, attempts)
    SELECT id, app_id, event_type, dialpad_event_id, payload, 'abandoned', last_error, attempts - 1
    FROM claimed
    WHERE outcome = 'dead_lettered'
    ON CONFLICT (event_id) WHERE replayed_at IS NULL DO NOTHING)
-- the events to process now; last_attempt: if this attempt fails, the event is dead-lettered; app_id,
-- dialpad_event_id and traceparent name the event in its processing span when tracing is on (EventTracing)
SELECT id, event_type, attempts, received_at, app_id, dialpad_event_id, traceparent,
       attempts_exhausted(attempts, CAST(:#${properties:processor.max-redeliveries} AS integer)) AS last_attempt
FROM claimed
WHERE outcome IS NULL
