-- GET /audit-log?limit=&before_id=: the newest operator actions first (limit at most 500, default 100).
SELECT CAST(json_build_object('items', COALESCE(json_agg(a ORDER BY a.id DESC), '[]'::json)) AS text)
FROM (SELECT id, at, actor, client, action, method, path, filter, status, result
      FROM audit_log
      WHERE CAST(:#${header.before_id} AS bigint) IS NULL OR id < CAST(:#${header.before_id} AS bigint)
      ORDER BY id DESC
      LIMIT LEAST(COALESCE(CAST(:#${header.limit} AS integer), 100), 500)) AS a
