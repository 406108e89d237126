-- Functions of the console's calls API (repeatable migration: edit here).

-- A call as the admin API shows it (GET /calls, GET /calls/{call_id}): its int64 ids as strings, because a
-- browser's numbers are doubles and would change ids above 2^53.
CREATE OR REPLACE FUNCTION call_json(c calls) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', c.id, 'app_id', c.app_id, 'dialpad_call_id', CAST(c.dialpad_call_id AS text),
        'direction', c.direction, 'from_number', c.from_number, 'to_number', c.to_number, 'status', c.status,
        'started_at', c.started_at, 'answered_at', c.answered_at, 'ended_at', c.ended_at,
        'duration_ms', c.duration_ms, 'recording_url', c.recording_url, 'voicemail_url', c.voicemail_url,
        'master_call_id', CAST(c.master_call_id AS text), 'entry_point_call_id', CAST(c.entry_point_call_id AS text),
        'last_state', c.last_state, 'last_event_at', c.last_event_at, 'created_at', c.created_at,
        'updated_at', c.updated_at)
$$;

