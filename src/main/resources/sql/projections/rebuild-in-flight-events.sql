-- At the swap: the rebuild's events claimed right now (their batch may have written the served table already but
-- not yet recorded its outcome). Run into the copy too; merges make a second run harmless.
SELECT e.id, e.event_type, e.processed_at
FROM projection_rebuilds r
JOIN webhook_events e
  ON e.processed_at IS NULL
 AND e.claimed_by IS NOT NULL
 AND e.event_type LIKE r.type_pattern
WHERE r.id = ?
LIMIT ?
