-- Retention: one batch of idempotency keys (webhook_event_keys) older than retention.idempotency-key-days.
DELETE FROM webhook_event_keys
WHERE (app_id, dialpad_event_id) IN (
    SELECT app_id, dialpad_event_id FROM webhook_event_keys
    WHERE received_at < now() - make_interval(days => CAST(:#${properties:retention.idempotency-key-days} AS integer))
    ORDER BY received_at
    LIMIT CAST(:#${properties:retention.batch-size} AS integer)
    FOR UPDATE SKIP LOCKED)
