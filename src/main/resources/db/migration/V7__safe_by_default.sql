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

-- 3. /stats lists at most p_max_groups event types and apps: webhook_stats(p_max_groups) replaces webhook_stats()
-- (R__operations.sql creates it).
DROP FUNCTION webhook_stats();
