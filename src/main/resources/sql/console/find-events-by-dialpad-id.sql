-- GET /events?dialpad_event_id=…[&event_type=&app_id=&from=&to=&outcome=&phone=&limit=&before=&before_id=]: the
-- stored events with this Dialpad event id (one per app at most), with the other filters of search-events.sql
-- applied the same way. Found through the unique index (app_id, dialpad_event_id): one probe per app, the apps listed
-- by a loose scan of that index, so a lookup costs a few index reads however many events are stored.
WITH RECURSIVE apps (app_id) AS (
    SELECT min(app_id) FROM webhook_events
    UNION ALL
    SELECT (SELECT min(e.app_id) FROM webhook_events e WHERE e.app_id > apps.app_id)
    FROM apps WHERE apps.app_id IS NOT NULL),
found AS (
    SELECT e.* FROM apps JOIN webhook_events e ON e.app_id = apps.app_id
    WHERE e.dialpad_event_id = btrim(CAST(:#${header.dialpad_event_id} AS text)))
SELECT CAST(json_build_object('items', COALESCE(json_agg(json_build_object(
           'id', e.id, 'app_id', e.app_id, 'event_type', e.event_type, 'dialpad_event_id', e.dialpad_event_id,
           'received_at', e.received_at, 'processed_at', e.processed_at, 'outcome', e.outcome,
           'attempts', e.attempts, 'last_error', e.last_error, 'priority', e.priority)
           ORDER BY e.received_at DESC, e.id DESC), '[]'::json)) AS text)
FROM (SELECT e.* FROM found e
      WHERE (NULLIF(btrim(CAST(:#${header.event_type} AS text)), '') IS NULL
             OR e.event_type = btrim(CAST(:#${header.event_type} AS text)))
        AND (NULLIF(btrim(CAST(:#${header.app_id} AS text)), '') IS NULL
             OR e.app_id = btrim(CAST(:#${header.app_id} AS text)))
        AND (NULLIF(btrim(CAST(:#${header.from} AS text)), '') IS NULL
             OR e.received_at >= CAST(NULLIF(btrim(CAST(:#${header.from} AS text)), '') AS timestamptz))
        AND (NULLIF(btrim(CAST(:#${header.to} AS text)), '') IS NULL
             OR e.received_at < CAST(NULLIF(btrim(CAST(:#${header.to} AS text)), '') AS timestamptz))
        AND (NULLIF(btrim(CAST(:#${header.outcome} AS text)), '') IS NULL
             OR (btrim(CAST(:#${header.outcome} AS text)) = 'unprocessed' AND e.processed_at IS NULL)
             OR e.outcome = btrim(CAST(:#${header.outcome} AS text)))
        AND (NULLIF(btrim(CAST(:#${header.phone} AS text)), '') IS NULL
             OR btrim(CAST(:#${header.phone} AS text)) IN (e.payload ->> 'external_number',
                                                           e.payload ->> 'internal_number',
                                                           e.payload ->> 'from_number')
             -- to_number: a string (calls) or a list (SMS); @> matches both
             OR e.payload -> 'to_number' @> to_jsonb(btrim(CAST(:#${header.phone} AS text))))
        AND (NULLIF(btrim(CAST(:#${header.before} AS text)), '') IS NULL
             OR (e.received_at, e.id)
                < (CAST(NULLIF(btrim(CAST(:#${header.before} AS text)), '') AS timestamptz),
                   COALESCE(CAST(NULLIF(btrim(CAST(:#${header.before_id} AS text)), '') AS uuid),
                            CAST('00000000-0000-0000-0000-000000000000' AS uuid))))
      ORDER BY e.received_at DESC, e.id DESC
      LIMIT LEAST(COALESCE(CAST(:#${header.limit} AS integer), 50), 200)) AS e
