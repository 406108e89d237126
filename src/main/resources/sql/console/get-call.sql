-- GET /calls/{call_id}?app_id=: the call's rows (one per app) and every stored event of that call id, in
-- event_timestamp order. No row and no event: no result (404).
WITH s AS (
    SELECT CAST(:#${header.call_id} AS bigint) AS call_id, CAST(:#${header.app_id} AS text) AS app_id),
call AS (
    SELECT call_json(c) AS call, c.app_id
    FROM calls c, s
    WHERE c.dialpad_call_id = s.call_id AND (s.app_id IS NULL OR c.app_id = s.app_id)),
events AS (
    SELECT e.id, e.app_id, e.event_type, e.dialpad_event_id,
           e.payload ->> 'state' AS state,
           e.payload ->> 'event_timestamp' AS event_timestamp,
           CASE WHEN e.payload ->> 'event_timestamp' ~ '^[0-9]{1,15}$'
                THEN dialpad_time(e.payload ->> 'event_timestamp') END AS event_time,
           e.received_at, e.processed_at, e.outcome, e.attempts, e.last_error,
           (SELECT d.id FROM webhook_dead_letters d WHERE d.event_id = e.id AND d.replayed_at IS NULL)
               AS dead_letter_id,
           jsonb_pretty(e.payload) AS payload_text
    FROM webhook_events e, s
    WHERE e.event_type LIKE 'call.%'
      AND e.payload ->> 'call_id' = CAST(s.call_id AS text)
      AND (s.app_id IS NULL OR e.app_id = s.app_id)),
shown AS (
    SELECT c.* FROM calls c, s
    WHERE c.dialpad_call_id = s.call_id AND (s.app_id IS NULL OR c.app_id = s.app_id)
    ORDER BY c.app_id LIMIT 1)
SELECT CAST(json_build_object(
           'call', (SELECT call.call FROM call ORDER BY call.app_id LIMIT 1),
           'calls', COALESCE((SELECT json_agg(call.call ORDER BY call.app_id) FROM call), '[]'::json),
           -- the first call's recordings, insights, and the other legs of its interaction
           'recordings', COALESCE((SELECT json_agg(json_build_object('recording_type', r.recording_type,
                                          'recording_id', r.recording_id, 'url', r.url, 'duration_ms', r.duration_ms,
                                          'started_at', r.started_at) ORDER BY r.started_at, r.recording_id)
                                   FROM call_recordings r, shown f
                                   WHERE r.app_id = f.app_id AND r.dialpad_call_id = f.dialpad_call_id), '[]'::json),
           'insights', (SELECT json_build_object('transcription_text', i.transcription_text,
                                'recap_summary', i.recap_summary, 'recap_outcome', i.recap_outcome,
                                'recap_action_items', i.recap_action_items, 'recap_purposes', i.recap_purposes,
                                'dispositions', i.dispositions, 'csat_score', i.csat_score)
                        FROM call_insights i, shown f
                        WHERE i.app_id = f.app_id AND i.dialpad_call_id = f.dialpad_call_id),
           'interaction', (SELECT json_build_object('interaction_id', CAST(x.interaction_id AS text),
                                   'outcome', x.outcome, 'answered', x.answered,
                                   'answered_by_agent_id', CAST(x.answered_by_agent_id AS text),
                                   'started_at', x.started_at, 'ended_at', x.ended_at, 'talk_time_ms', x.talk_time_ms,
                                   'legs', (SELECT json_agg(call_json(l) ORDER BY l.started_at NULLS LAST,
                                                            l.dialpad_call_id)
                                            FROM calls l
                                            WHERE l.app_id = x.app_id AND l.dialpad_call_id = ANY (x.legs)))
                           FROM call_interactions x, shown f
                           WHERE x.app_id = f.app_id AND x.interaction_id = f.interaction_id),
           'events', COALESCE((SELECT json_agg(events ORDER BY events.event_time NULLS LAST, events.received_at,
                                               events.id) FROM events), '[]'::json)) AS text)
WHERE EXISTS (SELECT 1 FROM call) OR EXISTS (SELECT 1 FROM events)
