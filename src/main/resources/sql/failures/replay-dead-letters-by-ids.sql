-- POST /dead-letters/replay with {"ids": [...]}: replays those (the open ones among them).
SELECT CAST(json_build_object('requeued', count(*)) AS text)
FROM replay_dead_letters(ARRAY(SELECT CAST(jsonb_array_elements_text(CAST(:#${body} AS jsonb) -> 'ids') AS uuid)),
                         NULL, NULL, NULL, NULL, NULL)
