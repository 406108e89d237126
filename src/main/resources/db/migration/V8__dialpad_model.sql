-- The whole Dialpad model (issue 14): who and how on calls, every recording, Dialpad Ai insights, calls grouped
-- into interactions, contacts, agents and their status history, the change log, and the rest of the SMS fields.
--
-- Descriptive fields follow one rule, "the value of the latest event that carries one": each such table keeps a
-- jsonb column `facts` ({"field": {"v": value, "at": [event time, ...]}}, merged by merge_facts(), R__projections.sql)
-- and the columns people query are generated from it. (jsonb_text_array is defined here, not in a repeatable
-- migration, because generated columns need it to exist when they are created.)

CREATE FUNCTION jsonb_text_array(j jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE jsonb_typeof(j) WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(j)) END $$;

-- calls: who and how. Durations take the largest value seen; everything else the latest event that carries it.
ALTER TABLE calls
    ADD COLUMN facts jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN agent_id bigint GENERATED ALWAYS AS (CAST(facts -> 'agent_id' ->> 'v' AS bigint)) STORED,
    ADD COLUMN agent_name text GENERATED ALWAYS AS (facts -> 'agent_name' ->> 'v') STORED,
    ADD COLUMN agent_email text GENERATED ALWAYS AS (facts -> 'agent_email' ->> 'v') STORED,
    ADD COLUMN agent_type text GENERATED ALWAYS AS (facts -> 'agent_type' ->> 'v') STORED,
    ADD COLUMN contact_id text GENERATED ALWAYS AS (facts -> 'contact_id' ->> 'v') STORED,
    ADD COLUMN contact_name text GENERATED ALWAYS AS (facts -> 'contact_name' ->> 'v') STORED,
    ADD COLUMN contact_phone text GENERATED ALWAYS AS (facts -> 'contact_phone' ->> 'v') STORED,
    ADD COLUMN operator_call_id bigint GENERATED ALWAYS AS (CAST(facts -> 'operator_call_id' ->> 'v' AS bigint)) STORED,
    ADD COLUMN group_id text GENERATED ALWAYS AS (facts -> 'group_id' ->> 'v') STORED,
    ADD COLUMN was_recorded boolean GENERATED ALWAYS AS (CAST(facts -> 'was_recorded' ->> 'v' AS boolean)) STORED,
    ADD COLUMN is_transferred boolean GENERATED ALWAYS AS (CAST(facts -> 'is_transferred' ->> 'v' AS boolean)) STORED,
    ADD COLUMN labels text[] GENERATED ALWAYS AS (jsonb_text_array(facts -> 'labels' -> 'v')) STORED,
    ADD COLUMN mos_score double precision GENERATED ALWAYS AS (CAST(facts -> 'mos_score' ->> 'v' AS double precision)) STORED,
    ADD COLUMN csat_score double precision GENERATED ALWAYS AS (CAST(facts -> 'csat_score' ->> 'v' AS double precision)) STORED,
    ADD COLUMN talk_time_ms double precision,
    ADD COLUMN hold_time_ms double precision,
    ADD COLUMN total_duration_ms double precision,
    -- the interaction the call is a leg of (call_interactions.interaction_id), kept by refresh_interactions()
    ADD COLUMN interaction_id bigint;
-- Indexes for looking legs up by their ids and links. Every lookup names the id (or link) and the app, and the id
-- comes first in every index, none starts with app_id: a plan made while calls has no statistics yet (a new
-- database, a backlog drained after a restore) could otherwise use an index on app_id alone and read every call of
-- the app for each leg. The unique key becomes (dialpad_call_id, app_id) (ON CONFLICT (app_id, dialpad_call_id)
-- still finds it: the column order does not matter there), which also serves a lookup by call id alone.
ALTER TABLE calls DROP CONSTRAINT calls_app_call_unique;
ALTER TABLE calls ADD CONSTRAINT calls_app_call_unique UNIQUE (dialpad_call_id, app_id);
DROP INDEX calls_dialpad_call_id;
DROP INDEX calls_master_call_id;
CREATE INDEX calls_master_call_id ON calls (master_call_id, app_id) WHERE master_call_id IS NOT NULL;
CREATE INDEX calls_entry_point_call_id ON calls (entry_point_call_id, app_id) WHERE entry_point_call_id IS NOT NULL;
CREATE INDEX calls_operator_call_id ON calls (operator_call_id, app_id) WHERE operator_call_id IS NOT NULL;
CREATE INDEX calls_interaction_id ON calls (interaction_id, app_id);

-- Every recording and voicemail of a call.
CREATE TABLE call_recordings (
    app_id          text        NOT NULL,
    dialpad_call_id bigint      NOT NULL,
    recording_type  text        NOT NULL,   -- callrecording | admincallrecording | voicemail
    recording_id    text        NOT NULL,   -- recording_details[].id; voicemail: voicemail_recording_id, else the link
    url             text,
    duration_ms     double precision,
    started_at      timestamptz,
    last_event_at   timestamptz,            -- the event the url came from (the latest one wins)
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, dialpad_call_id, recording_type, recording_id)
);

-- Dialpad Ai and post-call data, one row per call: each field from the latest event that carries it.
CREATE TABLE call_insights (
    app_id             text        NOT NULL,
    dialpad_call_id    bigint      NOT NULL,
    facts              jsonb       NOT NULL DEFAULT '{}',
    transcription_text text GENERATED ALWAYS AS (facts -> 'transcription_text' ->> 'v') STORED,
    recap_summary      text GENERATED ALWAYS AS (facts -> 'recap_summary' ->> 'v') STORED,
    recap_outcome      text GENERATED ALWAYS AS (facts -> 'recap_outcome' ->> 'v') STORED,
    recap_action_items jsonb GENERATED ALWAYS AS (facts -> 'recap_action_items' -> 'v') STORED,
    recap_purposes     jsonb GENERATED ALWAYS AS (facts -> 'recap_purposes' -> 'v') STORED,
    dispositions       jsonb GENERATED ALWAYS AS (facts -> 'dispositions' -> 'v') STORED,
    csat_score         double precision GENERATED ALWAYS AS (CAST(facts -> 'csat_score' ->> 'v' AS double precision)) STORED,
    last_event_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, dialpad_call_id)
);

-- One customer interaction per group of linked legs (refresh_interactions(), R__projections.sql).
CREATE TABLE call_interactions (
    app_id               text        NOT NULL,
    interaction_id       bigint      NOT NULL,   -- the root leg (no master, no entry point), else the smallest leg
    legs                 bigint[]    NOT NULL,
    started_at           timestamptz,
    ended_at             timestamptz,
    answered             boolean     NOT NULL,
    answered_by_agent_id bigint,
    outcome              text CHECK (outcome IN ('answered', 'voicemail', 'missed')),
    talk_time_ms         double precision,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (interaction_id, app_id)     -- the id first, as in calls (above)
);
CREATE INDEX call_interactions_agent_started ON call_interactions (answered_by_agent_id, started_at);
CREATE INDEX call_interactions_started ON call_interactions (started_at);

-- Contacts: the latest received event wins (received_at, then its id); a delete sets deleted_at.
CREATE TABLE contacts (
    app_id             text        NOT NULL,
    dialpad_contact_id text        NOT NULL,
    contact            jsonb,                 -- the contact object of the latest created/updated event
    contact_key        jsonb,                 -- [received_at (µs), event id] of that event
    deleted_key        jsonb,                 -- [received_at (µs), event id] of the latest deleted event
    contact_type       text GENERATED ALWAYS AS (contact ->> 'type') STORED,
    first_name         text GENERATED ALWAYS AS (contact ->> 'first_name') STORED,
    last_name          text GENERATED ALWAYS AS (contact ->> 'last_name') STORED,
    display_name       text GENERATED ALWAYS AS (contact ->> 'display_name') STORED,
    company_name       text GENERATED ALWAYS AS (contact ->> 'company_name') STORED,
    job_title          text GENERATED ALWAYS AS (contact ->> 'job_title') STORED,
    phones             text[] GENERATED ALWAYS AS (jsonb_text_array(contact -> 'phones')) STORED,
    primary_phone      text GENERATED ALWAYS AS (contact ->> 'primary_phone') STORED,
    emails             text[] GENERATED ALWAYS AS (jsonb_text_array(contact -> 'emails')) STORED,
    primary_email      text GENERATED ALWAYS AS (contact ->> 'primary_email') STORED,
    extension          text GENERATED ALWAYS AS (contact ->> 'extension') STORED,
    updated_at         timestamptz GENERATED ALWAYS AS (to_timestamp(CAST(contact_key ->> 0 AS double precision) / 1e6)) STORED,
    deleted_at         timestamptz GENERATED ALWAYS AS (CASE WHEN deleted_key > contact_key OR contact_key IS NULL
                                        THEN to_timestamp(CAST(deleted_key ->> 0 AS double precision) / 1e6) END) STORED,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, dialpad_contact_id)
);
CREATE INDEX contacts_primary_phone ON contacts (primary_phone);

-- Agents (target.id of agent status events): the latest event_timestamp wins.
CREATE TABLE agents (
    app_id                text        NOT NULL,
    dialpad_agent_id      bigint      NOT NULL,
    status_event          jsonb       NOT NULL,  -- the latest agent status event
    status_key            jsonb       NOT NULL,  -- [its event time (ms), its id]
    name                  text GENERATED ALWAYS AS (status_event -> 'target' ->> 'name') STORED,
    email                 text GENERATED ALWAYS AS (status_event -> 'target' ->> 'email') STORED,
    on_duty_status        text GENERATED ALWAYS AS (status_event ->> 'on_duty_status') STORED,
    on_duty_status_reason text GENERATED ALWAYS AS (status_event ->> 'on_duty_status_reason') STORED,
    availability_status   text GENERATED ALWAYS AS (status_event ->> 'availability_status') STORED,
    call_center_ids       text[] GENERATED ALWAYS AS (jsonb_text_array(status_event -> 'call_center_ids')) STORED,
    status_at             timestamptz GENERATED ALWAYS AS (to_timestamp(CAST(status_key ->> 0 AS double precision) / 1e3)) STORED,
    created_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, dialpad_agent_id)
);

-- Every status change of every agent.
CREATE TABLE agent_status_history (
    app_id                text        NOT NULL,
    dialpad_agent_id      bigint      NOT NULL,
    status_at             timestamptz NOT NULL,
    on_duty_status        text,
    on_duty_status_reason text,
    availability_status   text,
    PRIMARY KEY (app_id, dialpad_agent_id, status_at)
);

-- Dialpad's change log: one row per event.
CREATE TABLE change_log (
    app_id           text        NOT NULL,
    dialpad_event_id text        NOT NULL,
    action           text,
    target_type      text,
    target_id        text,
    changed_by       jsonb,
    note             text,
    additional_data  jsonb,
    logged_at        timestamptz,
    PRIMARY KEY (app_id, dialpad_event_id)
);
CREATE INDEX change_log_target ON change_log (target_type, target_id, logged_at);

-- messages: the rest of the SMS fields, each from the latest event that carries it; status_at: when the status kept
-- was reached.
ALTER TABLE messages
    ADD COLUMN facts jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN mms boolean GENERATED ALWAYS AS (CAST(facts -> 'mms' ->> 'v' AS boolean)) STORED,
    ADD COLUMN mms_url text GENERATED ALWAYS AS (facts -> 'mms_url' ->> 'v') STORED,
    ADD COLUMN contact_id text GENERATED ALWAYS AS (facts -> 'contact_id' ->> 'v') STORED,
    ADD COLUMN target_id bigint GENERATED ALWAYS AS (CAST(facts -> 'target_id' ->> 'v' AS bigint)) STORED,
    ADD COLUMN target_type text GENERATED ALWAYS AS (facts -> 'target_type' ->> 'v') STORED,
    ADD COLUMN sender_id bigint GENERATED ALWAYS AS (CAST(facts -> 'sender_id' ->> 'v' AS bigint)) STORED,
    ADD COLUMN is_internal boolean GENERATED ALWAYS AS (CAST(facts -> 'is_internal' ->> 'v' AS boolean)) STORED,
    ADD COLUMN delivery_result text GENERATED ALWAYS AS (facts -> 'delivery_result' ->> 'v') STORED,
    ADD COLUMN status_at timestamptz;

-- Upgrading loses nothing: events of the families this version projects, stored by an earlier one as
-- dialpad.unknown and marked skipped, are typed as this version's normalisation types them (the same rules, in SQL),
-- and every event of these families marked skipped is queued again. Their dialpad_event_id stays as it was stored.
UPDATE webhook_events SET event_type = 'contact.' || lower(payload ->> 'event')
WHERE event_type = 'dialpad.unknown' AND outcome = 'skipped'
  AND jsonb_typeof(payload -> 'contact') = 'object' AND payload -> 'contact' ->> 'id' IS NOT NULL
  AND lower(payload ->> 'event') IN ('created', 'updated', 'deleted');
UPDATE webhook_events SET event_type = 'agent.status'
WHERE event_type = 'dialpad.unknown' AND outcome = 'skipped'
  AND jsonb_typeof(payload -> 'target') = 'object' AND payload ->> 'call_id' IS NULL
  AND (payload ->> 'on_duty_status' IS NOT NULL OR payload ->> 'availability_status' IS NOT NULL);
UPDATE webhook_events SET event_type = 'change_log'
WHERE event_type = 'dialpad.unknown' AND outcome = 'skipped'
  AND jsonb_typeof(payload -> 'target') = 'object' AND payload ->> 'call_id' IS NULL
  AND jsonb_typeof(payload -> 'action') = 'string' AND payload ->> 'date' IS NOT NULL;
UPDATE webhook_events SET processed_at = NULL, outcome = NULL, attempts = 0, last_error = NULL, claimed_by = NULL,
       claimed_at = NULL, available_at = now()
WHERE outcome = 'skipped'
  AND event_type IN ('contact.created', 'contact.updated', 'contact.deleted', 'agent.status', 'change_log');
-- (Calls and messages stored before keep their rows; their new columns and the new call tables fill as their next
-- events arrive. docs/data-model.md says how to re-project them all at once.)
