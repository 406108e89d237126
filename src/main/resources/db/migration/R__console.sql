-- Functions of the console's calls, contacts and agents API (repeatable migration: edit here).

-- A call as the admin API shows it (GET /calls, GET /calls/{call_id}): its int64 ids as strings, because a
-- browser's numbers are doubles and would change ids above 2^53.
CREATE OR REPLACE FUNCTION call_json(c calls) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', c.id, 'app_id', c.app_id, 'dialpad_call_id', CAST(c.dialpad_call_id AS text),
        'direction', c.direction, 'from_number', c.from_number, 'to_number', c.to_number, 'status', c.status,
        'started_at', c.started_at, 'answered_at', c.answered_at, 'ended_at', c.ended_at,
        'duration_ms', c.duration_ms, 'talk_time_ms', c.talk_time_ms, 'hold_time_ms', c.hold_time_ms,
        'total_duration_ms', c.total_duration_ms, 'recording_url', c.recording_url, 'voicemail_url', c.voicemail_url,
        'master_call_id', CAST(c.master_call_id AS text), 'entry_point_call_id', CAST(c.entry_point_call_id AS text),
        'operator_call_id', CAST(c.operator_call_id AS text), 'interaction_id', CAST(c.interaction_id AS text),
        'agent_id', CAST(c.agent_id AS text), 'agent_name', c.agent_name, 'agent_email', c.agent_email,
        'agent_type', c.agent_type, 'contact_id', c.contact_id, 'contact_name', c.contact_name,
        'contact_phone', c.contact_phone, 'group_id', c.group_id, 'was_recorded', c.was_recorded,
        'is_transferred', c.is_transferred, 'labels', c.labels, 'mos_score', c.mos_score, 'csat_score', c.csat_score,
        'last_state', c.last_state, 'last_event_at', c.last_event_at, 'created_at', c.created_at,
        'updated_at', c.updated_at)
$$;

-- A contact as the admin API shows it (GET /contacts).
CREATE OR REPLACE FUNCTION contact_json(k contacts) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('app_id', k.app_id, 'dialpad_contact_id', k.dialpad_contact_id,
        'contact_type', k.contact_type, 'first_name', k.first_name, 'last_name', k.last_name,
        'display_name', k.display_name, 'company_name', k.company_name, 'job_title', k.job_title, 'phones', k.phones,
        'primary_phone', k.primary_phone, 'emails', k.emails, 'primary_email', k.primary_email,
        'extension', k.extension, 'updated_at', k.updated_at, 'deleted_at', k.deleted_at)
$$;

-- An agent as the admin API shows it (GET /agents).
CREATE OR REPLACE FUNCTION agent_json(a agents) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('app_id', a.app_id, 'dialpad_agent_id', CAST(a.dialpad_agent_id AS text),
        'name', a.name, 'email', a.email, 'on_duty_status', a.on_duty_status,
        'on_duty_status_reason', a.on_duty_status_reason, 'availability_status', a.availability_status,
        'call_center_ids', a.call_center_ids, 'status_at', a.status_at)
$$;

-- An interaction as the admin API shows it (GET /interactions, GET /calls/{call_id}): its int64 ids as strings.
CREATE OR REPLACE FUNCTION interaction_json(x call_interactions) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('app_id', x.app_id, 'interaction_id', CAST(x.interaction_id AS text),
        'legs', (SELECT json_agg(CAST(l AS text) ORDER BY l) FROM unnest(x.legs) AS l),
        'outcome', x.outcome, 'answered', x.answered, 'answered_by_agent_id', CAST(x.answered_by_agent_id AS text),
        'started_at', x.started_at, 'ended_at', x.ended_at, 'talk_time_ms', x.talk_time_ms,
        'updated_at', x.updated_at)
$$;

-- The numbers a search text may mean (GET /calls?q=, GET /messages?q=): as typed, '+' and its digits, its digits,
-- and for 10 digits (a North American number typed without +1) '+1' and them; empty spellings left out.
CREATE OR REPLACE FUNCTION phone_spellings(q text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(DISTINCT n)
    FROM (SELECT regexp_replace(q, '[^0-9]', '', 'g') AS digits) AS d,
         unnest(ARRAY[q, '+' || d.digits, d.digits,
                      CASE WHEN length(d.digits) = 10 THEN '+1' || d.digits END]) AS n
    WHERE n IS NOT NULL AND n <> '' AND n <> '+'
$$;

-- A search text that is a Dialpad int64 id (a call or an SMS), else null.
CREATE OR REPLACE FUNCTION dialpad_id_of(q text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN q ~ '^[0-9]{1,19}$' AND CAST(q AS numeric) <= 9223372036854775807 THEN CAST(q AS bigint) END
$$;

-- (re-created on the partitioned webhook_events of V12: functions of a table row type follow the table)
-- The events explorer's filter (GET /events: search-events.sql and find-events-by-dialpad-id.sql), each parameter as
-- the query string gave it (absent or empty: any). outcome: processed, skipped, dead_lettered or unprocessed
-- (processed_at IS NULL); phone: one of the payload's external_number, internal_number, from_number, to_number (an
-- SMS's list too); before / before_id: keyset paging on (received_at, id) (without before_id, received_at < before).
-- A single SQL expression, so PostgreSQL inlines it into the statement and plans it as if written there.
CREATE OR REPLACE FUNCTION console_event_matches(e webhook_events, p_event_type text, p_app_id text, p_from text,
                                                 p_to text, p_outcome text, p_phone text, p_before text,
                                                 p_before_id text)
    RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT (NULLIF(btrim(p_event_type), '') IS NULL OR e.event_type = btrim(p_event_type))
       AND (NULLIF(btrim(p_app_id), '') IS NULL OR e.app_id = btrim(p_app_id))
       AND (NULLIF(btrim(p_from), '') IS NULL OR e.received_at >= CAST(NULLIF(btrim(p_from), '') AS timestamptz))
       AND (NULLIF(btrim(p_to), '') IS NULL OR e.received_at < CAST(NULLIF(btrim(p_to), '') AS timestamptz))
       AND (NULLIF(btrim(p_outcome), '') IS NULL
            OR (btrim(p_outcome) = 'unprocessed' AND e.processed_at IS NULL)
            OR e.outcome = btrim(p_outcome))
       AND (NULLIF(btrim(p_phone), '') IS NULL
            OR btrim(p_phone) IN (e.payload ->> 'external_number', e.payload ->> 'internal_number',
                                  e.payload ->> 'from_number')
            -- to_number: a string (calls) or a list (SMS); @> matches both
            OR e.payload -> 'to_number' @> to_jsonb(btrim(p_phone)))
       AND (NULLIF(btrim(p_before), '') IS NULL
            OR (e.received_at, e.id)
               < (CAST(NULLIF(btrim(p_before), '') AS timestamptz),
                  COALESCE(CAST(NULLIF(btrim(p_before_id), '') AS uuid),
                           CAST('00000000-0000-0000-0000-000000000000' AS uuid))))
$$;

-- An event as the events explorer lists it (GET /events): its processing state, no payload.
CREATE OR REPLACE FUNCTION console_event_json(e webhook_events) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', e.id, 'app_id', e.app_id, 'event_type', e.event_type,
        'dialpad_event_id', e.dialpad_event_id, 'received_at', e.received_at, 'processed_at', e.processed_at,
        'outcome', e.outcome, 'attempts', e.attempts, 'last_error', e.last_error, 'priority', e.priority)
$$;
