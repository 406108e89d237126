-- Retention: one batch of dead letters older than retention.dead-letters-days (0: none); open ones (never replayed)
-- only with retention.delete-open-dead-letters.
DELETE FROM webhook_dead_letters
WHERE id IN (SELECT id FROM webhook_dead_letters
             WHERE failed_at < now() - make_interval(days => CAST(:#${properties:retention.dead-letters-days} AS integer))
               AND CAST(:#${properties:retention.dead-letters-days} AS integer) > 0
               AND (replayed_at IS NOT NULL OR CAST(:#${properties:retention.delete-open-dead-letters} AS boolean))
             ORDER BY failed_at
             LIMIT CAST(:#${properties:retention.batch-size} AS integer)
             FOR UPDATE SKIP LOCKED)
