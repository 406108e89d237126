-- What the operator console (and the admin API behind it) searches by.

-- A call's events, for "the events that built this call": call events by their call_id. Partial, so SMS and
-- unknown events do not pay for it.
CREATE INDEX webhook_events_call_id ON webhook_events ((payload ->> 'call_id')) WHERE event_type LIKE 'call.%';

-- Recent calls, newest first. created_at is written once, so the index does not stop HOT updates of the row.
CREATE INDEX calls_created_at ON calls (created_at);

-- Calls by phone number, newest first: the number finds them and created_at orders them, so a search stops after
-- the newest few even for a company line with millions of calls.
DROP INDEX calls_from_number;
DROP INDEX calls_to_number;
CREATE INDEX calls_from_number ON calls (from_number, created_at);
CREATE INDEX calls_to_number ON calls (to_number, created_at);

-- A call as the admin API shows it (GET /calls, GET /calls/{call_id}): its int64 ids as strings, because a
-- browser's numbers are doubles and would change ids above 2^53.
CREATE FUNCTION call_json(c calls) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', c.id, 'app_id', c.app_id, 'dialpad_call_id', CAST(c.dialpad_call_id AS text),
        'direction', c.direction, 'from_number', c.from_number, 'to_number', c.to_number, 'status', c.status,
        'started_at', c.started_at, 'answered_at', c.answered_at, 'ended_at', c.ended_at,
        'duration_ms', c.duration_ms, 'recording_url', c.recording_url, 'voicemail_url', c.voicemail_url,
        'master_call_id', CAST(c.master_call_id AS text), 'entry_point_call_id', CAST(c.entry_point_call_id AS text),
        'last_state', c.last_state, 'last_event_at', c.last_event_at, 'created_at', c.created_at,
        'updated_at', c.updated_at)
$$;

-- The dead letters matching the admin API's filter, shared by the list and the bulk replay so both always mean
-- the same set. NULL = any. p_error: case-insensitive substring of error_class or error_message.
-- p_replayed: true = replayed only, false = open only.
CREATE FUNCTION find_dead_letters(p_event_type text, p_app_id text, p_from timestamptz, p_to timestamptz,
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

-- Replay by a list of ids (the console's "replay selected") or by the filter above ("replay all matching").
-- Same semantics as V4's function: one statement, open dead letters only, so replaying twice = replaying once.
CREATE FUNCTION replay_dead_letters(p_ids uuid[], p_event_type text, p_app_id text, p_from timestamptz,
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
