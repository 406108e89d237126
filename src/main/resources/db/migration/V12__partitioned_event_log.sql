-- webhook_events becomes a log partitioned by day of received_at (docs/partitioning.md), in place:
--   * the existing table, with its rows and indexes, becomes the DEFAULT partition: it holds everything received
--     before the first day partition (a CHECK says so, so that creating a day partition never scans it) and is
--     emptied by retention's batched DELETE as before;
--   * from tomorrow (UTC) on, one partition per day, created ahead by create_event_partitions() (R__event_log.sql)
--     and dropped whole by retention: constant cost, no vacuum debt;
--   * idempotency moves to webhook_event_keys: a unique (app_id, dialpad_event_id) cannot span partitions, so the
--     key table holds each event's key for retention.idempotency-key-days (far longer than Dialpad's retries), and a
--     trigger checks it on every INSERT, so a direct INSERT of a duplicate still fails with the same constraint name;
--   * webhook_event_totals count per day of received_at, so that dropping a day partition drops its totals exactly.
-- Every table name, column and default stays: a row inserted with only app_id, event_type, dialpad_event_id and
-- payload is still a valid unprocessed event.

-- what depends on the old table itself (its triggers and its row type) is re-created on the new one
DROP TRIGGER webhook_event_totals_on_update ON webhook_events;
DROP TRIGGER webhook_event_totals_on_delete ON webhook_events;
DROP TRIGGER webhook_event_totals_on_truncate ON webhook_events;
DROP FUNCTION IF EXISTS console_event_matches(webhook_events, text, text, text, text, text, text, text, text);
DROP FUNCTION IF EXISTS console_event_json(webhook_events);

ALTER TABLE webhook_events RENAME TO webhook_events_default;
-- its primary key becomes the parent's (id, received_at), built when it is attached below
ALTER TABLE webhook_events_default DROP CONSTRAINT webhook_events_pkey;
ALTER TABLE webhook_events_default RENAME CONSTRAINT webhook_events_app_event_unique
    TO webhook_events_default_app_event_unique;
ALTER INDEX webhook_events_claimable_by_priority RENAME TO webhook_events_default_claimable_by_priority;
ALTER INDEX webhook_events_unprocessed_received RENAME TO webhook_events_default_unprocessed_received;
ALTER INDEX webhook_events_processed_at RENAME TO webhook_events_default_processed_at;
ALTER INDEX webhook_events_claimed_by RENAME TO webhook_events_default_claimed_by;
ALTER INDEX webhook_events_call_id RENAME TO webhook_events_default_call_id;

CREATE TABLE webhook_events (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    app_id           text        NOT NULL,
    event_type       text        NOT NULL,
    dialpad_event_id text        NOT NULL,
    payload          jsonb       NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz,
    outcome          text        CONSTRAINT webhook_events_outcome_check
                                 CHECK (outcome IN ('processed', 'skipped', 'dead_lettered')),
    attempts         integer     NOT NULL DEFAULT 0,
    available_at     timestamptz NOT NULL DEFAULT now(),
    claimed_by       text,
    claimed_at       timestamptz,
    last_error       text,
    priority         smallint    NOT NULL DEFAULT 0,
    traceparent      text,
    -- a primary key of a partitioned table must hold the partition key; ids stay gen_random_uuid()
    CONSTRAINT webhook_events_pkey PRIMARY KEY (id, received_at),
    CONSTRAINT webhook_events_outcome_when_processed CHECK ((processed_at IS NULL) = (outcome IS NULL))
) PARTITION BY RANGE (received_at);

-- the same indexes as before (V1, V3, V5, V6, V10): attaching the old table reuses its own
CREATE INDEX webhook_events_claimable_by_priority ON webhook_events (priority, available_at)
    WHERE processed_at IS NULL;
CREATE INDEX webhook_events_unprocessed_received ON webhook_events (received_at)
    INCLUDE (app_id, event_type, available_at, claimed_by) WHERE processed_at IS NULL;
CREATE INDEX webhook_events_processed_at ON webhook_events (processed_at) WHERE processed_at IS NOT NULL;
CREATE INDEX webhook_events_claimed_by ON webhook_events (claimed_by) WHERE processed_at IS NULL;
CREATE INDEX webhook_events_call_id ON webhook_events ((payload ->> 'call_id')) WHERE event_type LIKE 'call.%';
-- an event by its Dialpad id (the console's lookup), no longer unique: webhook_event_keys is
CREATE INDEX webhook_events_app_event ON webhook_events (app_id, dialpad_event_id);

-- Where the day partitions start (the old table holds what came before): tomorrow, UTC.
CREATE TABLE webhook_event_log (
    days_from timestamptz NOT NULL
);
INSERT INTO webhook_event_log (days_from) VALUES (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                                                  + interval '1 day');

DO $$
BEGIN
    EXECUTE format('ALTER TABLE webhook_events_default ADD CONSTRAINT webhook_events_default_before_days '
                   'CHECK (received_at < %L)', (SELECT days_from FROM webhook_event_log));
END $$;
ALTER TABLE webhook_events ATTACH PARTITION webhook_events_default DEFAULT;
ALTER TABLE webhook_events_default DROP CONSTRAINT webhook_events_default_app_event_unique;

-- Idempotency across partitions: one row per (app_id, dialpad_event_id) while it can still be redelivered.
CREATE TABLE webhook_event_keys (
    app_id           text        NOT NULL,
    dialpad_event_id text        NOT NULL,
    event_id         uuid        NOT NULL,   -- webhook_events.id of the row stored under this key
    received_at      timestamptz NOT NULL,
    CONSTRAINT webhook_events_app_event_unique PRIMARY KEY (app_id, dialpad_event_id)
);
CREATE INDEX webhook_event_keys_received_at ON webhook_event_keys (received_at);
INSERT INTO webhook_event_keys (app_id, dialpad_event_id, event_id, received_at)
SELECT app_id, dialpad_event_id, id, received_at FROM webhook_events_default
WHERE received_at > now() - interval '7 days';

-- (the functions' bodies are in R__event_log.sql, re-created right after this migration)
CREATE FUNCTION webhook_events_check_key() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION webhook_events_release_keys() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION webhook_events_release_all_keys() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER webhook_events_check_key BEFORE INSERT ON webhook_events
    FOR EACH ROW EXECUTE FUNCTION webhook_events_check_key();
-- a deleted event's key goes with it, as its unique index entry did (a redelivery after it is stored again)
CREATE TRIGGER webhook_events_release_keys AFTER DELETE ON webhook_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_events_release_keys();
CREATE TRIGGER webhook_events_release_all_keys AFTER TRUNCATE ON webhook_events
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_events_release_all_keys();

-- Totals per day of received_at (UTC): the rows counted so far stay in one bucket (-infinity) whose sum is right;
-- from now on every change lands in its event's day, and dropping a day's partition drops that day's totals.
ALTER TABLE webhook_event_totals ADD COLUMN received_on date NOT NULL DEFAULT '-infinity';
ALTER TABLE webhook_event_totals ALTER COLUMN received_on DROP DEFAULT;
ALTER TABLE webhook_event_totals DROP CONSTRAINT webhook_event_totals_pkey;
ALTER TABLE webhook_event_totals ADD PRIMARY KEY (app_id, event_type, outcome, received_on);

CREATE TRIGGER webhook_event_totals_on_update AFTER UPDATE ON webhook_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_event_totals_apply();
CREATE TRIGGER webhook_event_totals_on_delete AFTER DELETE ON webhook_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_event_totals_delete();
CREATE TRIGGER webhook_event_totals_on_truncate AFTER TRUNCATE ON webhook_events
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_event_totals_truncate();
