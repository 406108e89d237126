-- GET /interactions?call_id=&app_id=: the interaction a call is a leg of, with every leg's row (the first app's
-- without app_id). A leg finds its interaction through calls (dialpad_call_id) and call_interactions' key. No such
-- call, or a call not grouped yet: no result (404).
WITH s AS (
    SELECT CAST(:#${header.call_id} AS bigint) AS call_id, CAST(:#${header.app_id} AS text) AS app_id),
leg AS (
    SELECT c.app_id, c.interaction_id
    FROM calls c, s
    WHERE c.dialpad_call_id = s.call_id AND (s.app_id IS NULL OR c.app_id = s.app_id)
      AND c.interaction_id IS NOT NULL
    ORDER BY c.app_id
    LIMIT 1)
SELECT CAST(json_build_object(
           'interaction', interaction_json(x),
           'calls', (SELECT json_agg(call_json(l) ORDER BY l.started_at NULLS LAST, l.dialpad_call_id)
                     FROM calls l
                     WHERE l.app_id = x.app_id AND l.dialpad_call_id = ANY (x.legs))) AS text)
FROM leg
JOIN call_interactions x ON x.app_id = leg.app_id AND x.interaction_id = leg.interaction_id
