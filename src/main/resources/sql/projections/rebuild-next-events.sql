-- The next processed events of a rebuild after its cursor, in (processed_at, id) order (the index on processed_at).
SELECT e.id, e.event_type, e.processed_at
FROM projection_rebuilds r
JOIN webhook_events e
  ON e.processed_at IS NOT NULL
 AND e.processed_at >= COALESCE(r.cursor_processed_at, '-infinity')
 AND (r.cursor_processed_at IS NULL OR (e.processed_at, e.id) > (r.cursor_processed_at, r.cursor_id))
 AND e.outcome = 'processed'
 AND e.event_type LIKE r.type_pattern
WHERE r.id = ?
ORDER BY e.processed_at, e.id
LIMIT ?
