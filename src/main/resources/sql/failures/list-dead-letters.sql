-- GET /dead-letters: one page of the dead letters matching the filter, newest first, and how many match in all.
-- Every filter parameter may be absent (NULL: any); limit at most 500 (default 50).
WITH page AS (
    SELECT LEAST(COALESCE(CAST(:#${header.limit} AS integer), 50), 500) AS lim,
           COALESCE(CAST(:#${header.offset} AS integer), 0) AS off),
matching AS (
    SELECT * FROM find_dead_letters(CAST(:#${header.event_type} AS text), CAST(:#${header.app_id} AS text),
                                    CAST(:#${header.from} AS timestamptz), CAST(:#${header.to} AS timestamptz),
                                    CAST(:#${header.error} AS text), CAST(:#${header.replayed} AS boolean)))
SELECT CAST(json_build_object(
           'items', COALESCE((SELECT json_agg(d ORDER BY d.failed_at DESC, d.id DESC)
                              FROM (SELECT id, event_id, app_id, event_type, dialpad_event_id, error_class,
                                           error_message, attempts, failed_at, replayed_at, discarded_at, discard_reason
                                    FROM matching
                                    ORDER BY failed_at DESC, id DESC
                                    LIMIT (SELECT lim FROM page) OFFSET (SELECT off FROM page)) AS d), '[]'::json),
           'total', (SELECT count(*) FROM matching),
           'limit', (SELECT lim FROM page),
           'offset', (SELECT off FROM page)) AS text)
