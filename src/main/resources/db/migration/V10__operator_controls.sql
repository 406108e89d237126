-- Operator controls (issue "Projections you can change", docs/operator-controls.md): pause processing on every
-- instance, an audit log of every operator action, dead letters discarded with a reason, reprocess jobs.

-- One row: whether processing is paused (the claim reads it on every poll; ingest goes on).
CREATE TABLE processing_control (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    paused      boolean     NOT NULL DEFAULT false,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text,
    reason      text
);
INSERT INTO processing_control DEFAULT VALUES;

-- Every state-changing admin call (replay, discard, pause, resume, reprocess, reconcile, rebuild ...), whatever its
-- answer: who (token fingerprint or console session), from where, what, with which filter, what it counted.
CREATE TABLE audit_log (
    id       bigserial   PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text        NOT NULL,
    client   text,
    action   text        NOT NULL,        -- the admin route's id, e.g. replay-dead-letters
    method   text        NOT NULL,
    path     text        NOT NULL,
    filter   jsonb,                       -- the call's query parameters (and ids of a body)
    status   integer,                     -- the HTTP status it was answered with
    result   jsonb                        -- the answer when it is a small JSON object (counts)
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

-- A dead letter resolved without a replay: replayed_at says when it was resolved (so every "open" rule holds:
-- replayed_at IS NULL), discarded_at and discard_reason that it was discarded rather than replayed.
ALTER TABLE webhook_dead_letters ADD COLUMN discarded_at timestamptz, ADD COLUMN discard_reason text;

-- POST /events/reprocess: the matching events (received before upto) are queued again in batches, in
-- (received_at, id) order, only while the live backlog is small, so live events never wait behind them.
CREATE TABLE reprocess_jobs (
    id               bigserial   PRIMARY KEY,
    filter           jsonb       NOT NULL,
    upto             timestamptz NOT NULL,
    total            integer     NOT NULL,
    requeued         integer     NOT NULL DEFAULT 0,
    -- keyset cursor over (processed_at, id): requeued events get a new processed_at > upto, so none twice
    cursor_processed_at timestamptz,
    cursor_id        uuid,
    status           text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'cancelled')),
    created_by       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX reprocess_jobs_running ON reprocess_jobs (id) WHERE status = 'running';

-- Reprocessed events are claimed after live ones: the claim orders by (priority, available_at), live events have
-- priority 0, requeued ones 1. The claim's index follows.
ALTER TABLE webhook_events ADD COLUMN priority smallint NOT NULL DEFAULT 0;
CREATE INDEX webhook_events_claimable_by_priority ON webhook_events (priority, available_at) WHERE processed_at IS NULL;
DROP INDEX webhook_events_claimable;

-- POST /projections/{table}/rebuild (docs/rebuild.md): one row per rebuild of a projection (a table and its
-- dependants), built in schema rebuild_<projection> from the stored events, then swapped in.
CREATE TABLE projection_rebuilds (
    id                  bigserial   PRIMARY KEY,
    projection          text        NOT NULL,
    tables              text[]      NOT NULL,
    type_pattern        text        NOT NULL,             -- the events that feed it: event_type LIKE this
    status              text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
    owner               text,
    lease_until         timestamptz,
    total               bigint      NOT NULL DEFAULT 0,   -- events to run through the routes, counted at the start
    done                bigint      NOT NULL DEFAULT 0,
    cursor_processed_at timestamptz,                      -- keyset over (processed_at, id) of processed events
    cursor_id           uuid,
    requested_by        text,
    error               text,
    started_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    swapped_at          timestamptz
);
CREATE UNIQUE INDEX projection_rebuilds_one_running ON projection_rebuilds (projection) WHERE status = 'running';
