-- maintain-event-log: the day partitions of today and event-log.partitions-ahead-days ahead (R__event_log.sql)
SELECT create_event_partitions(CAST(:#${properties:event-log.partitions-ahead-days} AS integer))
