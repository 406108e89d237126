-- The next processed events of a rebuild after a cursor (processed_at, id; NULL: from the start), in that order
-- (the index on processed_at). Parameters: cursor processed_at, cursor id, rebuild id, limit.
WITH cursor AS (
    SELECT CAST(? AS timestamptz) AS processed_at, CAST(? AS uuid) AS id)
SELECT e.id, e.event_type, e.processed_at, e.received_at
FROM projection_rebuilds r
CROSS JOIN cursor k
JOIN webhook_events e
  ON e.processed_at IS NOT NULL
 AND e.processed_at >= COALESCE(k.processed_at, '-infinity')
 AND (k.processed_at IS NULL OR (e.processed_at, e.id) > (k.processed_at, k.id))
 AND e.outcome = 'processed'
 AND e.event_type LIKE r.type_pattern
WHERE r.id = ?
ORDER BY e.processed_at, e.id
LIMIT ?
