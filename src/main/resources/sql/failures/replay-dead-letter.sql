-- POST /dead-letters/{id}/replay: replays it if it is open; answers whether it was requeued (no row: 404).
SELECT CAST(json_build_object('id', d.id, 'event_id', d.event_id, 'requeued', r.dead_letter_id IS NOT NULL,
                              'replayed_at', COALESCE(r.replayed_at, d.replayed_at)) AS text)
FROM webhook_dead_letters d
LEFT JOIN replay_dead_letters(ARRAY[CAST(:#${header.id} AS uuid)], NULL, NULL, NULL, NULL, NULL) AS r
       ON r.dead_letter_id = d.id
WHERE d.id = CAST(:#${header.id} AS uuid)
