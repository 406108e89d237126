-- GET /events?event_type=&app_id=&from=&to=&outcome=&phone=&limit=&before=&before_id= (without dialpad_event_id:
-- find-events-by-dialpad-id.sql): the stored events (every outcome, including unprocessed) matching the filter,
-- newest received_at first. Every filter may be absent or empty (any). outcome: processed, skipped, dead_lettered,
-- or unprocessed (processed_at IS NULL). phone: exactly one of the payload's external_number, internal_number,
-- from_number, to_number (an SMS's list too). Keyset paging: before = the received_at of the last row of the
-- previous page (as answered, to the microsecond), before_id its id (events stored in one commit share their
-- received_at: with before_id none is skipped or repeated; without it, (received_at, id) < (before, the smallest
-- uuid) is received_at < before). At most limit (50, max 200).
-- The filter is console_event_matches (R__console.sql), shared with find-events-by-dialpad-id.sql: a single SQL
-- expression that PostgreSQL inlines, with the parameters compared in place (no CTE of them), so that an index on
-- (received_at, id) would serve this statement as it is; there is none yet, so it reads the events newest first by
-- a scan (docs/console.md).
SELECT CAST(json_build_object('items', COALESCE(json_agg(console_event_json(x.event)
           ORDER BY (x.event).received_at DESC, (x.event).id DESC), '[]'::json)) AS text)
FROM (SELECT e AS event FROM webhook_events e
      WHERE console_event_matches(e, CAST(:#${header.event_type} AS text), CAST(:#${header.app_id} AS text),
                                  CAST(:#${header.from} AS text), CAST(:#${header.to} AS text),
                                  CAST(:#${header.outcome} AS text), CAST(:#${header.phone} AS text),
                                  CAST(:#${header.before} AS text), CAST(:#${header.before_id} AS text))
      ORDER BY e.received_at DESC, e.id DESC
      LIMIT LEAST(COALESCE(CAST(:#${header.limit} AS integer), 50), 200)) AS x
