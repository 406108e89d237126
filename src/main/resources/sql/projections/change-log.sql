-- change_log events -> change_log (project-change-log): one row per event.
INSERT INTO change_log (app_id, dialpad_event_id, action, target_type, target_id, changed_by, note, additional_data,
                        logged_at)
SELECT e.app_id, e.dialpad_event_id, e.payload ->> 'action', e.payload -> 'target' ->> 'type',
       e.payload -> 'target' ->> 'id', e.payload -> 'changed_by', e.payload ->> 'note', e.payload -> 'additional_data',
       dialpad_time(e.payload ->> 'date')
FROM webhook_events e
WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
  AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                        AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
ON CONFLICT (app_id, dialpad_event_id) DO NOTHING
