-- The messages projection (project-messages): one row per (app_id, SMS id), merged from a group of SMS events in
-- one statement. Any order and any duplication of a message's events gives the same row. Events of one message
-- within the group are merged first (the most advanced status), then with the stored row.
WITH events AS (
    SELECT e.app_id,
           CAST(e.payload ->> 'id' AS bigint) AS dialpad_message_id,
           -- the direction the event type implies when the payload has none
           COALESCE(e.payload ->> 'direction',
                    CASE e.event_type WHEN 'sms.received' THEN 'inbound' WHEN 'sms.sent' THEN 'outbound' END)
               AS direction,
           e.payload ->> 'from_number' AS from_number,
           -- Dialpad's list of numbers, as text[] (a single string is taken as a list of one)
           CASE jsonb_typeof(e.payload -> 'to_number')
                WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(e.payload -> 'to_number'))
                WHEN 'string' THEN ARRAY[e.payload ->> 'to_number'] END AS to_number,
           e.payload ->> 'text' AS text,
           dialpad_time(e.payload ->> 'created_date') AS sent_at,
           e.payload ->> 'message_status' AS status,
           dialpad_time(e.payload ->> 'event_timestamp') AS event_at,
           -- the rest of the SMS fields: each from the latest event that carries it (facts, R__projections.sql)
           fact('mms', e.payload -> 'mms', at) ||
           fact('mms_url', e.payload -> 'mms_url', at) ||
           fact('contact_id', e.payload -> 'contact' -> 'id', at) ||
           fact('target_id', e.payload -> 'target' -> 'id', at) ||
           fact('target_type', e.payload -> 'target' -> 'type', at) ||
           fact('sender_id', e.payload -> 'sender_id', at) ||
           fact('is_internal', e.payload -> 'is_internal', at) ||
           fact('delivery_result', e.payload -> 'message_delivery_result', at) AS facts
    FROM webhook_events e, LATERAL event_at_key(e.payload) AS at
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)),
merged AS (
    SELECT DISTINCT ON (app_id, dialpad_message_id)
           app_id, dialpad_message_id, direction, from_number, to_number, text, status,
           min(sent_at) OVER w AS sent_at, max(event_at) OVER w AS last_event_at,
           -- when the status kept was reached: the latest event with that status
           max(event_at) OVER (PARTITION BY app_id, dialpad_message_id, status) AS status_at,
           merge_facts_agg(facts) OVER w AS facts
    FROM events
    WINDOW w AS (PARTITION BY app_id, dialpad_message_id)
    ORDER BY app_id, dialpad_message_id, message_status_rank(status) DESC, status DESC NULLS LAST,
             event_at DESC NULLS LAST)
INSERT INTO messages AS m (app_id, dialpad_message_id, direction, from_number, to_number, text, sent_at, status,
                           last_event_at, status_at, facts)
SELECT app_id, dialpad_message_id, direction, from_number, to_number, text, sent_at, status, last_event_at, status_at,
       facts
FROM merged
ON CONFLICT (app_id, dialpad_message_id) DO UPDATE SET
    direction = COALESCE(m.direction, EXCLUDED.direction),
    from_number = COALESCE(m.from_number, EXCLUDED.from_number),
    to_number = COALESCE(m.to_number, EXCLUDED.to_number),
    text = COALESCE(m.text, EXCLUDED.text),
    sent_at = LEAST(m.sent_at, EXCLUDED.sent_at),
    -- status only moves forward: pending < sent < delivered; failed and undelivered are terminal
    status = CASE WHEN m.status IS NULL
                       OR (message_status_rank(EXCLUDED.status), EXCLUDED.status)
                          > (message_status_rank(m.status), m.status)
                  THEN COALESCE(EXCLUDED.status, m.status) ELSE m.status END,
    status_at = CASE WHEN m.status IS NULL
                          OR (message_status_rank(EXCLUDED.status), EXCLUDED.status)
                             > (message_status_rank(m.status), m.status) THEN EXCLUDED.status_at
                     WHEN EXCLUDED.status = m.status THEN GREATEST(m.status_at, EXCLUDED.status_at)
                     ELSE m.status_at END,
    last_event_at = GREATEST(m.last_event_at, EXCLUDED.last_event_at),
    facts = merge_facts(m.facts, EXCLUDED.facts),
    updated_at = now()
