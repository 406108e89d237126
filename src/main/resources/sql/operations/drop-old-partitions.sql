-- Retention of the day partitions (R__event_log.sql): each whose whole day is older than
-- retention.processed-events-days goes at once with its totals, unless it holds an unprocessed event.
SELECT partition_name, CAST(day AS text) AS day, dropped, events, reason
FROM drop_old_event_partitions(CAST(:#${properties:retention.processed-events-days} AS integer))
