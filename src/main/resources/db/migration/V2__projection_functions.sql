-- Small helpers the projection routes' SQL shares. All immutable, so PostgreSQL inlines them.

-- Dialpad's epoch milliseconds (date_*, event_timestamp, created_date) as a timestamptz; NULL stays NULL.
CREATE FUNCTION dialpad_time(epoch_ms text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT timestamptz 'epoch' + epoch_ms::numeric * interval '1 millisecond' $$;

-- A call's status only moves forward: ringing < active < ended (NULL, e.g. a row made by a recording event: 0).
CREATE FUNCTION call_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE status WHEN 'ringing' THEN 1 WHEN 'active' THEN 2 WHEN 'ended' THEN 3 ELSE 0 END $$;

-- An SMS status only moves forward: pending < sent < delivered; failed and undelivered are terminal.
CREATE FUNCTION message_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE status WHEN 'pending' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3
                             WHEN 'failed' THEN 4 WHEN 'undelivered' THEN 4 ELSE 0 END $$;
