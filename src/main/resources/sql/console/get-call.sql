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
      AND (s.app_id IS NULL OR e.app_id = s.app_id))
SELECT CAST(json_build_object(
           'call', (SELECT call.call FROM call ORDER BY call.app_id LIMIT 1),
           'calls', COALESCE((SELECT json_agg(call.call ORDER BY call.app_id) FROM call), '[]'::json),
           'events', COALESCE((SELECT json_agg(events ORDER BY events.event_time NULLS LAST, events.received_at,
                                               events.id) FROM events), '[]'::json)) AS text)
WHERE EXISTS (SELECT 1 FROM call) OR EXISTS (SELECT 1 FROM events)
