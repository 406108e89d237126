-- Group commit (GroupCommitWriter): the rows of concurrent webhooks in one statement and one commit, as arrays
-- (one static statement with a cached plan, like River's JobInsertFastMany). A repeated (app_id, dialpad_event_id)
-- inserts nothing: only new rows come back, and their requests are answered 202, the others 200.
-- traceparent: the storing span's W3C trace context when tracing is on (docs/tracing.md), else NULL.
INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload, traceparent)
SELECT app_id, event_type, dialpad_event_id, CAST(payload AS jsonb), traceparent
FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
     AS rows (app_id, event_type, dialpad_event_id, payload, traceparent)
ON CONFLICT (app_id, dialpad_event_id) DO NOTHING
RETURNING id, app_id, dialpad_event_id
