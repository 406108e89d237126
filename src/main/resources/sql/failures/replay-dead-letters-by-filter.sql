-- POST /dead-letters/replay?event_type=&app_id=&from=&to=&error= (or all=true): replays every open dead letter
-- matching the list's filter.
SELECT CAST(json_build_object('requeued', count(*)) AS text)
FROM replay_dead_letters(NULL, CAST(:#${header.event_type} AS text), CAST(:#${header.app_id} AS text),
                         CAST(:#${header.from} AS timestamptz), CAST(:#${header.to} AS timestamptz),
                         CAST(:#${header.error} AS text))
