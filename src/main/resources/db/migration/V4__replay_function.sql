-- Replay, shared by POST /dead-letters/{id}/replay and POST /dead-letters/replay (and usable from psql):
-- stamps replayed_at on every open dead letter matching the filter (NULL filter = any) and puts its event back in
-- webhook_events with a fresh attempt count, restoring the row from the dead letter if retention deleted it.
-- One statement: a dead letter already replayed is never matched again, so replaying twice = replaying once.
CREATE FUNCTION replay_dead_letters(p_id uuid, p_event_type text, p_app_id text, p_from timestamptz,
                                    p_to timestamptz)
    RETURNS TABLE (dead_letter_id uuid, event_id uuid, replayed_at timestamptz)
    LANGUAGE sql AS $$
    WITH replayed AS (
        UPDATE webhook_dead_letters d SET replayed_at = now()
        WHERE d.replayed_at IS NULL
          AND (p_id IS NULL OR d.id = p_id)
          AND (p_event_type IS NULL OR d.event_type = p_event_type)
          AND (p_app_id IS NULL OR d.app_id = p_app_id)
          AND (p_from IS NULL OR d.failed_at >= p_from)
          AND (p_to IS NULL OR d.failed_at < p_to)
        RETURNING d.id, d.event_id, d.app_id, d.event_type, d.dialpad_event_id, d.payload, d.replayed_at),
    requeued AS (
        UPDATE webhook_events e SET processed_at = NULL, outcome = NULL, attempts = 0, last_error = NULL,
               claimed_by = NULL, claimed_at = NULL, available_at = now()
        FROM replayed r WHERE e.id = r.event_id
        RETURNING e.id),
    restored AS (
        INSERT INTO webhook_events (id, app_id, event_type, dialpad_event_id, payload)
        SELECT r.event_id, r.app_id, r.event_type, r.dialpad_event_id, r.payload FROM replayed r
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.id = r.event_id)
        ON CONFLICT DO NOTHING
        RETURNING id)
    SELECT r.id, r.event_id, r.replayed_at FROM replayed r
$$;
