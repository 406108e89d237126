-- GET /calls?q=: the calls whose Dialpad call id is q or whose from/to number is one of q's spellings, newest first.
-- Each number finds its newest calls through (number, created_at), so a company line with millions of calls is
-- cheap.
WITH s AS (
    SELECT q,
           regexp_replace(q, '[^0-9]', '', 'g') AS digits,
           -- 10 digits: a North American number typed without +1
           CASE WHEN length(regexp_replace(q, '[^0-9]', '', 'g')) = 10
                THEN '+1' || regexp_replace(q, '[^0-9]', '', 'g') END AS us,
           CASE WHEN q ~ '^[0-9]{1,19}$' AND CAST(q AS numeric) <= 9223372036854775807
                THEN CAST(q AS bigint) END AS call_id,
           LEAST(COALESCE(CAST(:#${header.limit} AS integer), 25), 200) AS lim
    FROM (SELECT btrim(CAST(:#${header.q} AS text)) AS q) AS input),
numbers AS (
    SELECT DISTINCT n
    FROM s, unnest(ARRAY[s.q, '+' || s.digits, s.digits, s.us]) AS n
    WHERE n IS NOT NULL AND n <> '' AND n <> '+'),
found AS (
    SELECT c.id FROM calls c, s WHERE c.dialpad_call_id = s.call_id
    UNION
    SELECT f.id FROM numbers, LATERAL (SELECT c.id FROM calls c WHERE c.from_number = numbers.n
                                       ORDER BY c.created_at DESC LIMIT (SELECT lim FROM s)) AS f
    UNION
    SELECT t.id FROM numbers, LATERAL (SELECT c.id FROM calls c WHERE c.to_number = numbers.n
                                       ORDER BY c.created_at DESC LIMIT (SELECT lim FROM s)) AS t)
SELECT CAST(json_build_object('items', COALESCE(json_agg(r.call ORDER BY r.created_at DESC), '[]'::json)) AS text)
FROM (SELECT call_json(c) AS call, c.created_at
      FROM calls c
      WHERE c.id IN (SELECT id FROM found)
      ORDER BY c.created_at DESC
      LIMIT (SELECT lim FROM s)) AS r
