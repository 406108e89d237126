-- GET /events?event_type=&app_id=&from=&to=&outcome=&phone=&limit=&before=&before_id= (without dialpad_event_id:
-- find-events-by-dialpad-id.sql): the stored events (every outcome, including unprocessed) matching the filter,
-- newest received_at first. Every filter may be absent or empty (any). outcome: processed, skipped, dead_lettered,
-- or unprocessed (processed_at IS NULL). phone: exactly one of the payload's external_number, internal_number,
-- from_number, to_number (an SMS's list too). Keyset paging: before = the received_at of the last row of the
-- previous page (as answered, to the microsecond), before_id its id (events stored in one commit share their
-- received_at: with before_id none is skipped or repeated; without it, (received_at, id) < (before, the smallest
-- uuid) is received_at < before). At most limit (50, max 200).
-- The parameters are compared in place (no CTE of them), so that an index on (received_at, id) would serve this
-- statement as it is; there is none yet, so it reads the events newest first by a scan (docs/console.md).
SELECT CAST(json_build_object('items', COALESCE(json_agg(json_build_object(
           'id', e.id, 'app_id', e.app_id, 'event_type', e.event_type, 'dialpad_event_id', e.dialpad_event_id,
           'received_at', e.received_at, 'processed_at', e.processed_at, 'outcome', e.outcome,
           'attempts', e.attempts, 'last_error', e.last_error, 'priority', e.priority)
           ORDER BY e.received_at DESC, e.id DESC), '[]'::json)) AS text)
FROM (SELECT e.* FROM webhook_events e
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
