-- agent.status -> agent_status_history (project-agents): every status change, one row per (app_id, agent, time).
-- Two events of one agent at the same time: the greater status wins, whatever the order.
INSERT INTO agent_status_history AS h (app_id, dialpad_agent_id, status_at, on_duty_status, on_duty_status_reason,
                                       availability_status)
SELECT DISTINCT ON (app_id, dialpad_agent_id, status_at) *
FROM (SELECT e.app_id, CAST(e.payload -> 'target' ->> 'id' AS bigint) AS dialpad_agent_id,
             dialpad_time(COALESCE(e.payload ->> 'event_timestamp', e.payload ->> 'date')) AS status_at,
             e.payload ->> 'on_duty_status' AS on_duty_status,
             e.payload ->> 'on_duty_status_reason' AS on_duty_status_reason,
             e.payload ->> 'availability_status' AS availability_status
      FROM webhook_events e
      WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
        AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                              AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
        AND e.payload -> 'target' ->> 'id' IS NOT NULL
        AND COALESCE(e.payload ->> 'event_timestamp', e.payload ->> 'date') IS NOT NULL) AS s
ORDER BY app_id, dialpad_agent_id, status_at,
         (COALESCE(on_duty_status, ''), COALESCE(on_duty_status_reason, ''), COALESCE(availability_status, '')) DESC
ON CONFLICT (app_id, dialpad_agent_id, status_at) DO UPDATE SET
    on_duty_status = EXCLUDED.on_duty_status,
    on_duty_status_reason = EXCLUDED.on_duty_status_reason,
    availability_status = EXCLUDED.availability_status
WHERE (COALESCE(EXCLUDED.on_duty_status, ''), COALESCE(EXCLUDED.on_duty_status_reason, ''),
       COALESCE(EXCLUDED.availability_status, ''))
      > (COALESCE(h.on_duty_status, ''), COALESCE(h.on_duty_status_reason, ''), COALESCE(h.availability_status, ''))
