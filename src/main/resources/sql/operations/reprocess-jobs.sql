-- GET /events/reprocess: the reprocess jobs, newest first, with their progress.
SELECT CAST(json_build_object('items', COALESCE(json_agg(j ORDER BY j.id DESC), '[]'::json)) AS text)
FROM (SELECT id, filter, total, requeued, status, created_by, created_at, updated_at, finished_at
      FROM reprocess_jobs ORDER BY id DESC LIMIT 50) AS j
