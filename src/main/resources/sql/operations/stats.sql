-- GET /stats: webhook_stats(), this instance's settings and the reconcile runs.
SELECT CAST(webhook_stats() || jsonb_build_object(
           'max_redeliveries', CAST(:#${properties:processor.max-redeliveries} AS integer),
           'processor_enabled', CAST(:#${properties:processor.enabled} AS boolean),
           'instance_id', CAST(:#${properties:processor.instance-id} AS text),
           -- paused by an operator (POST /processing/pause): no instance claims events
           'processing', (SELECT jsonb_build_object('paused', paused, 'changed_at', changed_at, 'changed_by',
                                                    changed_by, 'reason', reason) FROM processing_control),
           'reprocess_jobs_running', (SELECT count(*) FROM reprocess_jobs WHERE status = 'running'),
           -- projection rebuilds in progress: done / total (GET /projections/rebuilds for the rest)
           'rebuilds_running', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'projection', projection,
                                                                      'done', done, 'total', total)), '[]')
                                FROM projection_rebuilds WHERE status = 'running'),
           -- the day partitions of webhook_events (docs/partitioning.md)
           'event_log', event_log_stats(),
           -- reconcile with Dialpad's API: on when an API key is set; per app its latest run and watermark
           'reconcile', jsonb_build_object('enabled', CAST(:#${properties:reconcile.enabled} AS boolean),
                                           'apps', reconcile_stats())) AS text)
