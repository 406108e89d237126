-- Group commit (GroupCommitWriter): the rows of concurrent webhooks in one statement and one commit, as arrays
-- (one static statement with a cached plan, like River's JobInsertFastMany). Idempotency (V12, docs/partitioning.md):
-- each row first takes its (app_id, dialpad_event_id) in webhook_event_keys, and only the rows whose key was new are
-- stored, under the id their key names (the insert trigger sees the key is theirs). A repeated key stores nothing:
-- only new rows come back, and their requests are answered 202, the others 200.
-- traceparent: the storing span's W3C trace context when tracing is on (docs/tracing.md), else NULL.
WITH rows AS (
    SELECT DISTINCT ON (app_id, dialpad_event_id) app_id, event_type, dialpad_event_id, payload, traceparent
    FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
         WITH ORDINALITY AS rows (app_id, event_type, dialpad_event_id, payload, traceparent, n)
    ORDER BY app_id, dialpad_event_id, n),
new_keys AS (
    INSERT INTO webhook_event_keys (app_id, dialpad_event_id, event_id, received_at)
    SELECT app_id, dialpad_event_id, gen_random_uuid(), now() FROM rows
    ORDER BY app_id, dialpad_event_id
    ON CONFLICT (app_id, dialpad_event_id) DO NOTHING
    RETURNING app_id, dialpad_event_id, event_id, received_at)
INSERT INTO webhook_events (id, app_id, event_type, dialpad_event_id, payload, received_at, traceparent)
SELECT k.event_id, r.app_id, r.event_type, r.dialpad_event_id, CAST(r.payload AS jsonb), k.received_at, r.traceparent
FROM new_keys k JOIN rows r USING (app_id, dialpad_event_id)
RETURNING id, app_id, dialpad_event_id
