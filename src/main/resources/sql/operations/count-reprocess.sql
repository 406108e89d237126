-- POST /events/reprocess?dry_run=true: how many finished events match the filter (received before now).
SELECT CAST(json_build_object('dry_run', true, 'matching', count(*)) AS text)
FROM webhook_events e
WHERE e.processed_at IS NOT NULL
  AND reprocess_matches(CAST(:#${exchangeProperty.reprocessFilter} AS jsonb), e.event_type, e.app_id, e.received_at,
                        e.outcome, e.dialpad_event_id)
