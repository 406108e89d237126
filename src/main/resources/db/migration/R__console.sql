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
