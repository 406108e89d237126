-- GET /agents?q=&limit=: agents and their current status, by name; q: name or e-mail contains q
-- (case-insensitive), or the Dialpad id is q. At most limit (100, max 500). Each with its last statuses (history).
WITH s AS (
    SELECT NULLIF(btrim(CAST(:#${header.q} AS text)), '') AS q,
           LEAST(COALESCE(CAST(:#${header.limit} AS integer), 100), 500) AS lim)
SELECT CAST(json_build_object('items', COALESCE(json_agg(
           json_build_object('agent', agent_json(a),
                             'history', (SELECT json_agg(json_build_object('status_at', h.status_at,
                                                    'on_duty_status', h.on_duty_status,
                                                    'on_duty_status_reason', h.on_duty_status_reason,
                                                    'availability_status', h.availability_status)
                                                 ORDER BY h.status_at DESC)
                                         FROM (SELECT * FROM agent_status_history h
                                               WHERE h.app_id = a.app_id AND h.dialpad_agent_id = a.dialpad_agent_id
                                               ORDER BY h.status_at DESC LIMIT 10) AS h))
           ORDER BY a.name, a.dialpad_agent_id), '[]'::json)) AS text)
FROM (SELECT a.* FROM agents a, s
      WHERE s.q IS NULL OR CAST(a.dialpad_agent_id AS text) = s.q
         OR strpos(lower(concat_ws(' ', a.name, a.email)), lower(s.q)) > 0
      ORDER BY a.name, a.dialpad_agent_id
      LIMIT (SELECT lim FROM s)) AS a
