-- GET /messages?q=&limit=: the SMS (table messages), newest first (sent_at, then created_at); q: the Dialpad message
-- id, or a from/to number in one of q's spellings (as typed, '+' and its digits, its digits, and for 10 digits '+1'
-- and them); q empty: the newest. At most limit (25, max 200). int64 ids as strings (a browser's numbers are
-- doubles); the merge state (facts) is left out: its values are the columns mms ... delivery_result.
WITH s AS (
    -- the numbers q may mean and the message id it may be (phone_spellings, dialpad_id_of: R__console.sql)
    SELECT q, dialpad_id_of(q) AS message_id, LEAST(COALESCE(CAST(:#${header.limit} AS integer), 25), 200) AS lim
    FROM (SELECT NULLIF(btrim(CAST(:#${header.q} AS text)), '') AS q) AS input),
numbers AS (
    SELECT phone_spellings(s.q) AS ns FROM s)
SELECT CAST(json_build_object('items', COALESCE(json_agg(json_build_object(
           'id', m.id, 'app_id', m.app_id, 'dialpad_message_id', CAST(m.dialpad_message_id AS text),
           'direction', m.direction, 'from_number', m.from_number, 'to_number', m.to_number, 'text', m.text,
           'sent_at', m.sent_at, 'status', m.status, 'status_at', m.status_at, 'delivery_result', m.delivery_result,
           'mms', m.mms, 'mms_url', m.mms_url, 'contact_id', m.contact_id, 'target_id', CAST(m.target_id AS text),
           'target_type', m.target_type, 'sender_id', CAST(m.sender_id AS text), 'is_internal', m.is_internal,
           'last_event_at', m.last_event_at, 'created_at', m.created_at, 'updated_at', m.updated_at)
           ORDER BY m.sent_at DESC NULLS LAST, m.created_at DESC, m.id), '[]'::json)) AS text)
FROM (SELECT m.* FROM messages m, s, numbers
      WHERE s.q IS NULL OR m.dialpad_message_id = s.message_id
         OR m.from_number = ANY (numbers.ns) OR m.to_number && numbers.ns
      ORDER BY m.sent_at DESC NULLS LAST, m.created_at DESC, m.id
      LIMIT (SELECT lim FROM s)) AS m
