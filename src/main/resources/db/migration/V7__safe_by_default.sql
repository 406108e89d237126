-- Safe by default (issue 12): tenant isolation of the projections, console sessions kept in the database, and a
-- /stats whose size does not grow with whatever app ids and event types senders invent.

-- 1. Tenant isolation: calls and messages are keyed by (app_id, Dialpad id), so one app's events never change
-- another app's row. Until now they were unique on the Dialpad id alone: a call id that arrived from two apps was
-- merged into one row. Such rows are dropped and their events queued again, so that each app's row is rebuilt from
-- its own events (events retention already deleted cannot come back; every other row stays as it is).
CREATE TEMPORARY TABLE shared_calls ON COMMIT DROP AS
    SELECT payload ->> 'call_id' AS call_id FROM webhook_events
    WHERE event_type LIKE 'call.%' AND payload ->> 'call_id' ~ '^-?[0-9]{1,19}$'
    GROUP BY 1 HAVING count(DISTINCT app_id) > 1;
DELETE FROM calls WHERE CAST(dialpad_call_id AS text) IN (SELECT call_id FROM shared_calls);
UPDATE webhook_events SET processed_at = NULL, outcome = NULL, attempts = 0, last_error = NULL, claimed_by = NULL,
       claimed_at = NULL, available_at = now()
WHERE event_type LIKE 'call.%' AND outcome = 'processed' AND payload ->> 'call_id' IN (SELECT call_id FROM shared_calls);

CREATE TEMPORARY TABLE shared_messages ON COMMIT DROP AS
    SELECT payload ->> 'id' AS message_id FROM webhook_events
    WHERE event_type IN ('sms.received', 'sms.sent') AND payload ->> 'id' ~ '^-?[0-9]{1,19}$'
    GROUP BY 1 HAVING count(DISTINCT app_id) > 1;
DELETE FROM messages WHERE CAST(dialpad_message_id AS text) IN (SELECT message_id FROM shared_messages);
UPDATE webhook_events SET processed_at = NULL, outcome = NULL, attempts = 0, last_error = NULL, claimed_by = NULL,
       claimed_at = NULL, available_at = now()
WHERE event_type IN ('sms.received', 'sms.sent') AND outcome = 'processed'
  AND payload ->> 'id' IN (SELECT message_id FROM shared_messages);

ALTER TABLE calls DROP CONSTRAINT calls_dialpad_call_id_key;
ALTER TABLE calls ADD CONSTRAINT calls_app_call_unique UNIQUE (app_id, dialpad_call_id);
-- a call looked up by its Dialpad id alone (GET /calls/{call_id}), whatever its app
CREATE INDEX calls_dialpad_call_id ON calls (dialpad_call_id);

ALTER TABLE messages DROP CONSTRAINT messages_dialpad_message_id_key;
ALTER TABLE messages ADD CONSTRAINT messages_app_message_unique UNIQUE (app_id, dialpad_message_id);
CREATE INDEX messages_dialpad_message_id ON messages (dialpad_message_id);

-- 2. Operator console sessions, server-side: sign-out ends a session for every instance, and changing ADMIN_TOKEN
-- ends them all (token_fingerprint no longer matches). The cookie holds a random secret; only its SHA-256 is kept.
CREATE TABLE admin_sessions (
    id_hash           text        PRIMARY KEY,
    token_fingerprint text        NOT NULL,
    client            text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    revoked_at        timestamptz
);
CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);

-- 3. /stats lists at most p_max_groups event types and apps (those with the most unprocessed and dead-lettered
-- events first, then the busiest); the totals always count everything, and event_types_omitted / apps_omitted say
-- how many were left out. Its size, and the memory of whoever reads it, no longer grow with the ids senders invent.
-- The lists are top-N sorts (bounded memory in PostgreSQL too); with p_max_groups = 0 (the metrics gauges, which
-- need the totals only) they are not computed at all.
DROP FUNCTION webhook_stats();
CREATE FUNCTION webhook_stats(p_max_groups integer DEFAULT 100) RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH pending AS (
        SELECT app_id, event_type, count(*) AS unprocessed,
               count(*) FILTER (WHERE claimed_by IS NOT NULL AND available_at > now()) AS in_flight,
               min(received_at) AS oldest_unprocessed
        FROM webhook_events WHERE processed_at IS NULL
        GROUP BY app_id, event_type),
    finished AS (
        SELECT app_id, event_type,
               sum(events) FILTER (WHERE outcome = 'processed') AS processed,
               sum(events) FILTER (WHERE outcome = 'skipped') AS skipped,
               sum(events) FILTER (WHERE outcome = 'dead_lettered') AS dead_lettered
        FROM webhook_event_totals GROUP BY app_id, event_type),
    cells AS (
        SELECT COALESCE(p.app_id, f.app_id) AS app_id, COALESCE(p.event_type, f.event_type) AS event_type,
               COALESCE(p.unprocessed, 0) AS unprocessed, COALESCE(p.in_flight, 0) AS in_flight,
               p.oldest_unprocessed,
               COALESCE(f.processed, 0) AS processed, COALESCE(f.skipped, 0) AS skipped,
               COALESCE(f.dead_lettered, 0) AS dead_lettered
        FROM pending p FULL JOIN finished f ON f.app_id = p.app_id AND f.event_type = p.event_type),
    by_type AS (
        SELECT event_type AS key, sum(unprocessed) AS unprocessed, sum(in_flight) AS in_flight,
               sum(processed) AS processed, sum(skipped) AS skipped, sum(dead_lettered) AS dead_lettered,
               min(oldest_unprocessed) AS oldest_unprocessed
        FROM cells GROUP BY event_type),
    by_app AS (
        SELECT app_id AS key, sum(unprocessed) AS unprocessed, sum(in_flight) AS in_flight,
               sum(processed) AS processed, sum(skipped) AS skipped, sum(dead_lettered) AS dead_lettered,
               min(oldest_unprocessed) AS oldest_unprocessed
        FROM cells GROUP BY app_id),
    top_types AS (
        SELECT * FROM by_type
        ORDER BY unprocessed + dead_lettered DESC, unprocessed + processed + skipped + dead_lettered DESC,
                 key COLLATE "C"
        LIMIT p_max_groups),
    top_apps AS (
        SELECT * FROM by_app
        ORDER BY unprocessed + dead_lettered DESC, unprocessed + processed + skipped + dead_lettered DESC,
                 key COLLATE "C"
        LIMIT p_max_groups)
    SELECT jsonb_build_object(
        'unprocessed', COALESCE(sum(unprocessed), 0),
        'in_flight', COALESCE(sum(in_flight), 0),
        'processed', COALESCE(sum(processed), 0),
        'skipped', COALESCE(sum(skipped), 0),
        'dead_lettered', COALESCE(sum(dead_lettered), 0),
        'oldest_unprocessed', min(oldest_unprocessed),
        'lag_seconds', COALESCE(round(extract(epoch FROM now() - min(oldest_unprocessed)), 3), 0),
        'dead_letters_open', (SELECT count(*) FROM webhook_dead_letters WHERE replayed_at IS NULL),
        'event_types', CASE WHEN p_max_groups > 0 THEN COALESCE((SELECT jsonb_object_agg(key, jsonb_build_object(
            'unprocessed', unprocessed, 'in_flight', in_flight, 'processed', processed, 'skipped', skipped,
            'dead_lettered', dead_lettered, 'oldest_unprocessed', oldest_unprocessed,
            'lag_seconds', COALESCE(round(extract(epoch FROM now() - oldest_unprocessed), 3), 0)))
            FROM top_types), '{}'::jsonb) ELSE '{}'::jsonb END,
        'apps', CASE WHEN p_max_groups > 0 THEN COALESCE((SELECT jsonb_object_agg(key, jsonb_build_object(
            'unprocessed', unprocessed, 'in_flight', in_flight, 'processed', processed, 'skipped', skipped,
            'dead_lettered', dead_lettered, 'oldest_unprocessed', oldest_unprocessed,
            'lag_seconds', COALESCE(round(extract(epoch FROM now() - oldest_unprocessed), 3), 0)))
            FROM top_apps), '{}'::jsonb) ELSE '{}'::jsonb END,
        'event_types_omitted', CASE WHEN p_max_groups > 0
            THEN GREATEST((SELECT count(*) FROM by_type) - p_max_groups, 0) END,
        'apps_omitted', CASE WHEN p_max_groups > 0
            THEN GREATEST((SELECT count(*) FROM by_app) - p_max_groups, 0) END)
    FROM cells
$$;
