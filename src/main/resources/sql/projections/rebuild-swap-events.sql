-- At the swap, under the lock, in one snapshot: the rebuild's events claimed right now (their batch may have written
-- the served table already but not yet recorded its outcome) and those processed since the cursor, less a margin
-- (processed_at is the time the outcome's transaction began: one that began before the cursor's last event may
-- have committed after it was read). Reading both in one snapshot leaves no gap between them; running an event
-- into the copy twice is harmless, merges being idempotent.
SELECT e.id, e.event_type, e.processed_at, e.received_at
FROM projection_rebuilds r
JOIN webhook_events e
  ON e.event_type LIKE r.type_pattern
 AND ((e.processed_at IS NULL AND e.claimed_by IS NOT NULL)
      OR (e.outcome = 'processed'
          AND e.processed_at >= COALESCE(r.cursor_processed_at, '-infinity') - interval '2 seconds'))
WHERE r.id = ?
ORDER BY e.processed_at NULLS LAST, e.id
LIMIT ?
