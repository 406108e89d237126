-- GET /interactions?agent_id=&day=|from=&to=&app_id=&limit=: the interactions an agent answered, by start time
-- (index call_interactions_agent_started). day: a UTC date (YYYY-MM-DD); else from/to (ISO-8601 timestamps, to
-- exclusive); neither: the agent's newest. At most limit (100, max 1000).
WITH s AS (
    SELECT CAST(:#${header.agent_id} AS bigint) AS agent_id,
           CAST(:#${header.app_id} AS text) AS app_id,
           COALESCE(CAST(CAST(NULLIF(CAST(:#${header.day} AS text), '') AS date) AS timestamp) AT TIME ZONE 'UTC',
                    CAST(NULLIF(CAST(:#${header.from} AS text), '') AS timestamptz), '-infinity') AS from_at,
           COALESCE(CAST(CAST(NULLIF(CAST(:#${header.day} AS text), '') AS date) + 1 AS timestamp) AT TIME ZONE 'UTC',
                    CAST(NULLIF(CAST(:#${header.to} AS text), '') AS timestamptz), 'infinity') AS to_at,
           LEAST(COALESCE(CAST(:#${header.limit} AS integer), 100), 1000) AS lim)
SELECT CAST(json_build_object('items', COALESCE(json_agg(interaction_json(x) ORDER BY x.started_at DESC,
                                                        x.interaction_id), '[]'::json)) AS text)
FROM (SELECT x.* FROM call_interactions x, s
      WHERE x.answered_by_agent_id = s.agent_id
        AND x.started_at >= s.from_at AND x.started_at < s.to_at
        AND (s.app_id IS NULL OR x.app_id = s.app_id)
      ORDER BY x.started_at DESC, x.interaction_id
      LIMIT (SELECT lim FROM s)) AS x
