-- GET /dead-letters/{id}: one dead letter with its payload, also as pretty-printed text (no row: 404).
SELECT CAST(row_to_json(d) AS text)
FROM (SELECT id, event_id, app_id, event_type, dialpad_event_id, payload, jsonb_pretty(payload) AS payload_text,
             error_class, error_message, attempts, failed_at, replayed_at, discarded_at, discard_reason
      FROM webhook_dead_letters
      WHERE id = CAST(:#${header.id} AS uuid)) AS d
