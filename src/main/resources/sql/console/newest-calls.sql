-- GET /calls without q: the newest calls (by created_at, which is written once and indexed).
SELECT CAST(json_build_object('items', COALESCE(json_agg(r.call ORDER BY r.created_at DESC), '[]'::json)) AS text)
FROM (SELECT call_json(c) AS call, c.created_at
      FROM calls c
      ORDER BY c.created_at DESC
      LIMIT LEAST(COALESCE(CAST(:#${header.limit} AS integer), 25), 200)) AS r
