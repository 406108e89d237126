-- GET /calls?q=: the calls whose Dialpad call id is q or whose from/to number is one of q's spellings, newest first.
-- Each number finds its newest calls through (number, created_at), so a company line with millions of calls is
-- cheap.
WITH s AS (
    -- the numbers q may mean and the call id it may be (phone_spellings, dialpad_id_of: R__console.sql)
    SELECT phone_spellings(q) AS numbers, dialpad_id_of(q) AS call_id,
           LEAST(COALESCE(CAST(:#${header.limit} AS integer), 25), 200) AS lim
    FROM (SELECT btrim(CAST(:#${header.q} AS text)) AS q) AS input),
numbers AS (
    SELECT unnest(s.numbers) AS n FROM s),
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
