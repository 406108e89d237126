-- GET /stats: webhook_stats(), this instance's settings and the reconcile runs.
SELECT CAST(webhook_stats() || jsonb_build_object(
           'max_redeliveries', CAST(:#${properties:processor.max-redeliveries} AS integer),
           'processor_enabled', CAST(:#${properties:processor.enabled} AS boolean),
           'instance_id', CAST(:#${properties:processor.instance-id} AS text),
           -- reconcile with Dialpad's API: on when an API key is set; per app its latest run and watermark
           'reconcile', jsonb_build_object('enabled', CAST(:#${properties:reconcile.enabled} AS boolean),
                                           'apps', reconcile_stats())) AS text)
