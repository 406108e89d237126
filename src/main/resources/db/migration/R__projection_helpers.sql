-- Small helpers the projections' SQL shares (repeatable migration: edit here). All immutable, so PostgreSQL
-- inlines them.

-- Dialpad's epoch milliseconds (date_*, event_timestamp, created_date) as a timestamptz; NULL stays NULL.
CREATE OR REPLACE FUNCTION dialpad_time(epoch_ms text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT timestamptz 'epoch' + epoch_ms::numeric * interval '1 millisecond' $$;

-- A call's status only moves forward: ringing < active < ended (NULL, e.g. a row made by a recording event: 0).
CREATE OR REPLACE FUNCTION call_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE status WHEN 'ringing' THEN 1 WHEN 'active' THEN 2 WHEN 'ended' THEN 3 ELSE 0 END $$;

-- An SMS status only moves forward: pending < sent < delivered; failed and undelivered are terminal.
CREATE OR REPLACE FUNCTION message_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE status WHEN 'pending' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3
                             WHEN 'failed' THEN 4 WHEN 'undelivered' THEN 4 ELSE 0 END $$;

-- Whether a link (a recording, a voicemail) and the time of the event that carried it beat the link kept so far: the
-- earliest event's link wins, ties broken by the link itself, so the result does not depend on arrival order.
CREATE OR REPLACE FUNCTION earlier_link(new_url text, new_at timestamptz, kept_url text, kept_at timestamptz)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT new_url IS NOT NULL AND (kept_url IS NULL OR (new_at, new_url) < (kept_at, kept_url)) $$;
