-- POST /dead-letters/{id}/discard?reason=: resolved without a replay (replayed_at: resolved; discarded_at and
-- discard_reason: how). Only an open dead letter is discarded; the answer says whether this call did it.
WITH discarded AS (
    UPDATE webhook_dead_letters SET replayed_at = now(), discarded_at = now(),
           discard_reason = CAST(:#${header.reason} AS text)
    WHERE id = CAST(:#${header.id} AS uuid) AND replayed_at IS NULL
    RETURNING id)
SELECT CAST(json_build_object('id', d.id, 'event_id', d.event_id,
                              'discarded', EXISTS (SELECT 1 FROM discarded),
                              'discarded_at', COALESCE(d.discarded_at, CASE WHEN EXISTS (SELECT 1 FROM discarded)
                                                                            THEN now() END),
                              'discard_reason', COALESCE(d.discard_reason, CAST(:#${header.reason} AS text)),
                              'replayed_at', COALESCE(d.replayed_at, now())) AS text)
FROM webhook_dead_letters d
WHERE d.id = CAST(:#${header.id} AS uuid)
