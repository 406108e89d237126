-- POST /events/reprocess: a job over the finished events matching the filter now; requeue-reprocess-batches queues
-- them again batch by batch, after live events.
WITH job AS (
    INSERT INTO reprocess_jobs (filter, upto, total, created_by)
    SELECT CAST(:#${exchangeProperty.reprocessFilter} AS jsonb), now(), count(*), :#${exchangeProperty.adminActor}
    FROM webhook_events e
    WHERE e.processed_at IS NOT NULL
      AND reprocess_matches(CAST(:#${exchangeProperty.reprocessFilter} AS jsonb), e.event_type, e.app_id,
                            e.received_at, e.outcome, e.dialpad_event_id)
    RETURNING id, total, filter)
SELECT CAST(json_build_object('job_id', id, 'matching', total, 'filter', filter, 'status', 'running') AS text)
FROM job
