-- The row a redelivered webhook was stored as (the 200 "duplicate" answer names it).
SELECT id
FROM webhook_events
WHERE app_id = :#appId
  AND dialpad_event_id = :#dialpadEventId
