-- After a batch of a rebuild: counts, cursor (kept when the batch had none: the events in flight at the swap),
-- lease renewed. No row: the rebuild is no longer this instance's.
UPDATE projection_rebuilds SET
    done = done + ?,
    cursor_processed_at = COALESCE(CAST(? AS timestamptz), cursor_processed_at),
    cursor_id = COALESCE(CAST(? AS uuid), cursor_id),
    lease_until = now() + make_interval(secs => ?),
    updated_at = now()
WHERE id = ? AND owner = ? AND status = 'running'
