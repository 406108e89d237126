-- The row a redelivered webhook was stored as (the 200 "duplicate" answer names it): its key says (V12).
SELECT event_id AS id
FROM webhook_event_keys
WHERE app_id = :#appId
  AND dialpad_event_id = :#dialpadEventId
