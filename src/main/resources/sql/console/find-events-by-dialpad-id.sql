-- GET /events?dialpad_event_id=…[&event_type=&app_id=&from=&to=&outcome=&phone=&limit=&before=&before_id=]: the
-- stored events with this Dialpad event id (one per app at most), with the other filters applied the same way as
-- in search-events.sql (console_event_matches, R__console.sql). Found through the unique index (app_id,
-- dialpad_event_id): one probe per app, the apps listed by a loose scan of that index, so a lookup costs a few index
-- reads however many events are stored.
WITH RECURSIVE apps (app_id) AS (
    SELECT min(app_id) FROM webhook_events
    UNION ALL
    SELECT (SELECT min(e.app_id) FROM webhook_events e WHERE e.app_id > apps.app_id)
    FROM apps WHERE apps.app_id IS NOT NULL),
found AS (
    SELECT e.id FROM apps JOIN webhook_events e ON e.app_id = apps.app_id
    WHERE e.dialpad_event_id = btrim(CAST(:#${header.dialpad_event_id} AS text)))
SELECT CAST(json_build_object('items', COALESCE(json_agg(console_event_json(x.event)
           ORDER BY (x.event).received_at DESC, (x.event).id DESC), '[]'::json)) AS text)
FROM (SELECT e AS event FROM webhook_events e
      WHERE e.id IN (SELECT f.id FROM found f)
        AND console_event_matches(e, CAST(:#${header.event_type} AS text), CAST(:#${header.app_id} AS text),
                                  CAST(:#${header.from} AS text), CAST(:#${header.to} AS text),
                                  CAST(:#${header.outcome} AS text), CAST(:#${header.phone} AS text),
                                  CAST(:#${header.before} AS text), CAST(:#${header.before_id} AS text))
      ORDER BY e.received_at DESC, e.id DESC
      LIMIT LEAST(COALESCE(CAST(:#${header.limit} AS integer), 50), 200)) AS x
