-- Retention: one batch of processed events (any outcome) older than retention.processed-events-days (0: none).
DELETE FROM webhook_events
WHERE id IN (SELECT id FROM webhook_events
             WHERE processed_at < now() - make_interval(days => CAST(:#${properties:retention.processed-events-days} AS integer))
               AND CAST(:#${properties:retention.processed-events-days} AS integer) > 0
             ORDER BY processed_at
             LIMIT CAST(:#${properties:retention.batch-size} AS integer)
             FOR UPDATE SKIP LOCKED)
