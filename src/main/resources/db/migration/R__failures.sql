-- Dead-letter functions of the admin API (repeatable migration: edit here). Usable from psql too.

-- The dead letters matching the admin API's filter, shared by the list and the bulk replay so both always mean
-- the same set. NULL = any. p_error: case-insensitive substring of error_class or error_message.
-- p_replayed: true = replayed only, false = open only.
CREATE OR REPLACE FUNCTION find_dead_letters(p_event_type text, p_app_id text, p_from timestamptz, p_to timestamptz,
                                  p_error text, p_replayed boolean)
    RETURNS SETOF webhook_dead_letters
    LANGUAGE sql STABLE AS $$
    SELECT * FROM webhook_dead_letters d
    WHERE (p_event_type IS NULL OR d.event_type = p_event_type)
      AND (p_app_id IS NULL OR d.app_id = p_app_id)
      AND (p_from IS NULL OR d.failed_at >= p_from)
      AND (p_to IS NULL OR d.failed_at < p_to)
      AND (p_error IS NULL OR strpos(lower(COALESCE(d.error_class, '') || ' ' || COALESCE(d.error_message, '')),
                                     lower(p_error)) > 0)
      AND (p_replayed IS NULL OR (d.replayed_at IS NOT NULL) = p_replayed)
$$;

-- Replay, for POST /dead-letters/{id}/replay, POST /dead-letters/replay (by ids or by the filter above) and psql:
-- stamps replayed_at on every open dead letter matching and puts its event back in webhook_events with a fresh
-- attempt count, restoring the row from the dead letter if retention deleted it. One statement: a dead letter
-- already replayed is never matched again, so replaying twice = replaying once.
CREATE OR REPLACE FUNCTION replay_dead_letters(p_ids uuid[], p_event_type text, p_app_id text, p_from timestamptz,
                                    p_to timestamptz, p_error text)
    RETURNS TABLE (dead_letter_id uuid, event_id uuid, replayed_at timestamptz)
    LANGUAGE sql AS $$
    WITH replayed AS (
        UPDATE webhook_dead_letters d SET replayed_at = now()
        WHERE d.replayed_at IS NULL
          AND (p_ids IS NULL OR d.id = ANY (p_ids))
          AND d.id IN (SELECT f.id FROM find_dead_letters(p_event_type, p_app_id, p_from, p_to, p_error, false) f)
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

-- V4's signature stays (scripts and psql users may call it) and now means the same as the new one.
CREATE OR REPLACE FUNCTION replay_dead_letters(p_id uuid, p_event_type text, p_app_id text, p_from timestamptz,
                                               p_to timestamptz)
    RETURNS TABLE (dead_letter_id uuid, event_id uuid, replayed_at timestamptz)
    LANGUAGE sql AS $$
    SELECT * FROM replay_dead_letters(CASE WHEN p_id IS NULL THEN NULL ELSE ARRAY[p_id] END,
                                      p_event_type, p_app_id, p_from, p_to, NULL)
$$;
