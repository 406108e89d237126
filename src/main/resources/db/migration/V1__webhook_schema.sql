-- The whole data model of SPEC section 4. Later versions add behaviour, not tables.

-- Every accepted webhook, exactly once per (app_id, dialpad_event_id).
CREATE TABLE webhook_events (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    app_id           text        NOT NULL,
    event_type       text        NOT NULL,
    dialpad_event_id text        NOT NULL,
    payload          jsonb       NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    -- processing state: every column has a default, so a row with only the four columns above is a valid
    -- unprocessed event
    processed_at     timestamptz,                          -- set once, when the event is done (any outcome)
    outcome          text        CHECK (outcome IN ('processed', 'skipped', 'dead_lettered')),
    attempts         integer     NOT NULL DEFAULT 0,       -- handler attempts so far (durable across restarts)
    available_at     timestamptz NOT NULL DEFAULT now(),   -- not claimable before: lease expiry or retry back-off
    claimed_by       text,                                 -- claim token of the instance holding the lease
    claimed_at       timestamptz,
    last_error       text,
    CONSTRAINT webhook_events_app_event_unique UNIQUE (app_id, dialpad_event_id),
    CONSTRAINT webhook_events_outcome_when_processed CHECK ((processed_at IS NULL) = (outcome IS NULL))
);

-- the claim scan: unprocessed rows whose lease or back-off has passed, oldest first
CREATE INDEX webhook_events_claimable ON webhook_events (available_at) WHERE processed_at IS NULL;
-- lag and "oldest unprocessed"
CREATE INDEX webhook_events_unprocessed_received ON webhook_events (received_at) WHERE processed_at IS NULL;
-- retention: processed rows by age
CREATE INDEX webhook_events_processed_at ON webhook_events (processed_at) WHERE processed_at IS NOT NULL;

-- One row per Dialpad call, projected from its events in any order.
CREATE TABLE calls (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    app_id              text        NOT NULL,
    dialpad_call_id     bigint      NOT NULL UNIQUE,
    direction           text,
    from_number         text,
    to_number           text,
    status              text        CHECK (status IN ('ringing', 'active', 'ended')),
    started_at          timestamptz,
    answered_at         timestamptz,
    ended_at            timestamptz,
    duration_ms         double precision,
    recording_url       text,
    recording_event_at  timestamptz,   -- event_timestamp of the event recording_url came from (earliest wins)
    voicemail_url       text,
    voicemail_event_at  timestamptz,
    master_call_id      bigint,
    entry_point_call_id bigint,
    last_state          text,
    last_event_at       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_master_call_id ON calls (master_call_id) WHERE master_call_id IS NOT NULL;
CREATE INDEX calls_from_number ON calls (from_number);
CREATE INDEX calls_to_number ON calls (to_number);

-- One row per Dialpad SMS.
CREATE TABLE messages (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    app_id             text        NOT NULL,
    dialpad_message_id bigint      NOT NULL UNIQUE,
    direction          text,
    from_number        text,
    to_number          text[],
    text               text,
    sent_at            timestamptz,
    status             text,
    last_event_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Events that exhausted their redeliveries, kept for inspection and replay.
CREATE TABLE webhook_dead_letters (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id         uuid        NOT NULL,   -- webhook_events.id (no foreign key: retention may delete the event)
    app_id           text        NOT NULL,
    event_type       text        NOT NULL,
    dialpad_event_id text        NOT NULL,
    payload          jsonb       NOT NULL,
    error_class      text,
    error_message    text,
    attempts         integer     NOT NULL,
    failed_at        timestamptz NOT NULL DEFAULT now(),
    replayed_at      timestamptz
);
-- at most one open (not replayed) dead letter per event: writing one twice is a no-op
CREATE UNIQUE INDEX webhook_dead_letters_open_event ON webhook_dead_letters (event_id) WHERE replayed_at IS NULL;
CREATE INDEX webhook_dead_letters_failed_at ON webhook_dead_letters (failed_at);
CREATE INDEX webhook_dead_letters_event_type ON webhook_dead_letters (event_type, failed_at);
