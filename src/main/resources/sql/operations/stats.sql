-- GET /stats: webhook_stats() and this instance's settings.
SELECT CAST(webhook_stats() || jsonb_build_object(
           'max_redeliveries', CAST(:#${properties:processor.max-redeliveries} AS integer),
           'processor_enabled', CAST(:#${properties:processor.enabled} AS boolean),
           'instance_id', CAST(:#${properties:processor.instance-id} AS text)) AS text)
