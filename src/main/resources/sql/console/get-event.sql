-- GET /events/{id}: one stored event with its payload (also pretty-printed) and its processing history: attempts,
-- last error, lease (claimed_by, claimed_at), available_at, outcome, and every dead letter it ever had (open,
-- replayed or discarded), newest first. No such event: no result (404).
SELECT CAST(json_build_object(
           'id', e.id, 'app_id', e.app_id, 'event_type', e.event_type, 'dialpad_event_id', e.dialpad_event_id,
           'received_at', e.received_at, 'processed_at', e.processed_at, 'outcome', e.outcome,
           'attempts', e.attempts, 'last_error', e.last_error, 'claimed_by', e.claimed_by,
           'claimed_at', e.claimed_at, 'available_at', e.available_at, 'priority', e.priority,
           'payload', e.payload, 'payload_text', jsonb_pretty(e.payload),
           'dead_letters', COALESCE((SELECT json_agg(json_build_object('id', d.id, 'failed_at', d.failed_at,
                                                'attempts', d.attempts, 'error_class', d.error_class,
                                                'error_message', d.error_message, 'replayed_at', d.replayed_at,
                                                'discarded_at', d.discarded_at, 'discard_reason', d.discard_reason)
                                             ORDER BY d.failed_at DESC, d.id)
                                     FROM webhook_dead_letters d WHERE d.event_id = e.id), '[]'::json)) AS text)
FROM webhook_events e
WHERE e.id = CAST(:#${header.id} AS uuid)
