-- contact.created / contact.updated / contact.deleted -> contacts (project-contacts): one row per (app_id, contact
-- id). Contact events carry no timestamp, so the latest received event wins (received_at, then the event's id): the
-- contact object of the latest created/updated event, and deleted_at when the latest delete is later than it
-- (generated columns, V8).
WITH events AS (
    SELECT e.app_id, e.payload -> 'contact' ->> 'id' AS dialpad_contact_id,
           e.event_type = 'contact.deleted' AS deleted,
           e.payload -> 'contact' AS contact,
           jsonb_build_array(CAST(extract(epoch FROM e.received_at) * 1e6 AS bigint), CAST(e.id AS text)) AS event_key
    FROM webhook_events e
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
      AND e.payload -> 'contact' ->> 'id' IS NOT NULL)
INSERT INTO contacts AS k (app_id, dialpad_contact_id, contact, contact_key, deleted_key)
SELECT app_id, dialpad_contact_id,
       (array_agg(contact ORDER BY event_key DESC) FILTER (WHERE NOT deleted))[1],
       (array_agg(event_key ORDER BY event_key DESC) FILTER (WHERE NOT deleted))[1],
       (array_agg(event_key ORDER BY event_key DESC) FILTER (WHERE deleted))[1]
FROM events
GROUP BY app_id, dialpad_contact_id
ORDER BY app_id, dialpad_contact_id
ON CONFLICT (app_id, dialpad_contact_id) DO UPDATE SET
    contact = CASE WHEN k.contact_key IS NULL OR EXCLUDED.contact_key > k.contact_key
                   THEN COALESCE(EXCLUDED.contact, k.contact) ELSE k.contact END,
    contact_key = GREATEST(k.contact_key, EXCLUDED.contact_key),
    deleted_key = GREATEST(k.deleted_key, EXCLUDED.deleted_key)
