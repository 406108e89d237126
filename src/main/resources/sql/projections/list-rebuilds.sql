-- GET /projections/rebuilds: the rebuilds, newest first, with progress: done / total, events per second, ETA.
SELECT CAST(json_build_object('items', COALESCE(json_agg(x ORDER BY x.id DESC), '[]'::json)) AS text)
FROM (SELECT id, projection, tables, status, total, done, requested_by, error, started_at, updated_at, swapped_at,
             round(CAST(done AS numeric) / GREATEST(extract(epoch FROM updated_at - started_at), 0.001), 1)
                 AS events_per_second,
             CASE WHEN status = 'running' AND done > 0
                  THEN round((total - done) / (CAST(done AS numeric)
                             / GREATEST(extract(epoch FROM updated_at - started_at), 0.001)), 1) END
                 AS eta_seconds
      FROM projection_rebuilds ORDER BY id DESC LIMIT 50) AS x
