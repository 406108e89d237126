-- agent.status -> agents (project-agents): one row per (app_id, agent id = target.id); the event with the latest
-- event_timestamp (else date) wins, ties broken by its id, so any order gives the same row (generated columns, V8).
WITH events AS (
    SELECT e.app_id, CAST(e.payload -> 'target' ->> 'id' AS bigint) AS dialpad_agent_id, e.payload AS status_event,
           jsonb_build_array(CAST(COALESCE(e.payload ->> 'event_timestamp', e.payload ->> 'date') AS numeric),
                             e.dialpad_event_id) AS status_key
    FROM webhook_events e
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
      AND e.payload -> 'target' ->> 'id' IS NOT NULL
      AND COALESCE(e.payload ->> 'event_timestamp', e.payload ->> 'date') IS NOT NULL)
INSERT INTO agents AS a (app_id, dialpad_agent_id, status_event, status_key)
SELECT DISTINCT ON (app_id, dialpad_agent_id) app_id, dialpad_agent_id, status_event, status_key
FROM events
ORDER BY app_id, dialpad_agent_id, status_key DESC
ON CONFLICT (app_id, dialpad_agent_id) DO UPDATE SET
    status_event = CASE WHEN EXCLUDED.status_key > a.status_key THEN EXCLUDED.status_event ELSE a.status_event END,
    status_key = GREATEST(a.status_key, EXCLUDED.status_key)
