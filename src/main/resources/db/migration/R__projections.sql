-- Functions the projections share (repeatable migration: edit here, Flyway re-creates them when this file changes).

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

-- "The value of the latest event that carries one", for every descriptive field: facts are
-- {"field": {"v": value, "at": when}}, where `at` is a JSON array compared element by element (an event time, then
-- what breaks ties). facts() makes an event's facts; merge_facts() keeps, per field, the fact with the greater
-- (at, v). It is commutative, associative and idempotent, so any order and any duplication of events gives the same
-- facts; the tables' generated columns read them (V8).

-- Whether a value carries something: absent, null, "", [] and {} carry nothing.
CREATE OR REPLACE FUNCTION carries(v jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT v IS NOT NULL AND v NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb) $$;

-- The facts of one event: every field of p_values that carries something, stamped with p_at.
CREATE OR REPLACE FUNCTION facts(p_values jsonb, p_at jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(jsonb_object_agg(key, jsonb_build_object('v', value, 'at', p_at))
                          FILTER (WHERE carries(value)), '{}'::jsonb)
          FROM jsonb_each(p_values) $$;

CREATE OR REPLACE FUNCTION merge_facts(a jsonb, b jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(jsonb_object_agg(k, CASE WHEN y IS NULL THEN x WHEN x IS NULL THEN y
                                                  WHEN (x -> 'at', x -> 'v') >= (y -> 'at', y -> 'v') THEN x
                                                  ELSE y END), '{}'::jsonb)
          FROM (SELECT k FROM jsonb_object_keys(COALESCE(a, '{}'::jsonb)) AS k
                UNION SELECT k FROM jsonb_object_keys(COALESCE(b, '{}'::jsonb)) AS k) AS keys,
               LATERAL (SELECT a -> k AS x, b -> k AS y) AS pair $$;

-- merge_facts over many rows (the events of one group).
CREATE OR REPLACE AGGREGATE merge_facts_agg(jsonb) (SFUNC = merge_facts, STYPE = jsonb, INITCOND = '{}');

-- When an event happened, as facts compare it: its event_timestamp (epoch ms), -1 when it has none.
CREATE OR REPLACE FUNCTION event_at_key(p_payload jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT jsonb_build_array(COALESCE(CAST(p_payload ->> 'event_timestamp' AS numeric), -1)) $$;

-- Calls grouped into customer interactions (call_interactions), for the calls of the given events: legs are linked
-- when one names the other in master_call_id, entry_point_call_id or operator_call_id, and an interaction is a
-- connected group of legs. Each group containing one of these calls is found again (links followed both ways), its
-- interaction_id set on every leg (the root leg: neither master nor entry point, the smallest such id; the smallest
-- leg id while no root has arrived), its row rewritten from its legs, and rows of interactions that no longer exist
-- (two groups joined by a late leg, a root that arrived) deleted. Computed from the calls rows alone, so any arrival
-- order ends with the same rows. A transaction-level lock serialises it across instances, and each statement below
-- sees what was committed before the lock was granted (READ COMMITTED takes a snapshot per statement in PL/pgSQL).
CREATE OR REPLACE FUNCTION refresh_interactions(p_event_ids uuid[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('call_interactions'));
    WITH RECURSIVE seeds AS (
        -- the calls of these events, and the legs of the interactions they were part of (a group can split when a
        -- leg's operator link changes)
        SELECT DISTINCT e.app_id, CAST(e.payload ->> 'call_id' AS bigint) AS call_id
        FROM webhook_events e WHERE e.id = ANY (p_event_ids)),
    all_seeds AS (
        SELECT app_id, call_id FROM seeds
        UNION
        SELECT c.app_id, c.dialpad_call_id
        FROM seeds s
        JOIN calls own ON own.app_id = s.app_id AND own.dialpad_call_id = s.call_id
        JOIN calls c ON c.app_id = own.app_id AND c.interaction_id = own.interaction_id),
    reach (app_id, seed, call_id) AS (
        SELECT s.app_id, s.call_id, s.call_id
        FROM all_seeds s
        WHERE EXISTS (SELECT 1 FROM calls c WHERE c.app_id = s.app_id AND c.dialpad_call_id = s.call_id)
        UNION
        -- the legs this one names, and the legs that name it
        SELECT r.app_id, r.seed, c.dialpad_call_id
        FROM reach r
        JOIN calls leg ON leg.app_id = r.app_id AND leg.dialpad_call_id = r.call_id
        JOIN calls c ON c.app_id = r.app_id
                    AND (c.dialpad_call_id IN (leg.master_call_id, leg.entry_point_call_id, leg.operator_call_id)
                         OR c.master_call_id = r.call_id OR c.entry_point_call_id = r.call_id
                         OR c.operator_call_id = r.call_id)),
    groups AS (
        -- one row per connected group: its legs (the same set whichever seed found it)
        SELECT DISTINCT app_id, legs
        FROM (SELECT app_id, array_agg(call_id ORDER BY call_id) AS legs FROM reach GROUP BY app_id, seed) AS g),
    summary AS (
        SELECT g.app_id, g.legs,
               COALESCE(min(c.dialpad_call_id) FILTER (WHERE c.master_call_id IS NULL
                                                        AND c.entry_point_call_id IS NULL),
                        min(c.dialpad_call_id)) AS interaction_id,
               min(c.started_at) AS started_at,
               max(c.ended_at) AS ended_at,
               bool_or(c.answered_at IS NOT NULL) AS answered,
               -- the agent of the first leg answered
               (array_agg(c.agent_id ORDER BY c.answered_at, c.dialpad_call_id)
                    FILTER (WHERE c.answered_at IS NOT NULL AND c.agent_id IS NOT NULL))[1] AS answered_by_agent_id,
               -- answered; else voicemail; else missed once every leg has ended (in progress: none yet)
               CASE WHEN bool_or(c.answered_at IS NOT NULL) THEN 'answered'
                    WHEN bool_or(c.voicemail_url IS NOT NULL OR c.last_state IN ('voicemail', 'voicemail_uploaded'))
                        THEN 'voicemail'
                    WHEN bool_and(c.status = 'ended') THEN 'missed' END AS outcome,
               -- the longest leg's talk time (legs of one conversation each report it)
               max(c.talk_time_ms) AS talk_time_ms
        FROM groups g
        JOIN calls c ON c.app_id = g.app_id AND c.dialpad_call_id = ANY (g.legs)
        GROUP BY g.app_id, g.legs),
    stale AS (
        -- interactions these legs belonged to that are no longer an interaction (two groups joined, a root arrived)
        DELETE FROM call_interactions i
        USING calls c, summary s
        WHERE c.app_id = s.app_id AND c.dialpad_call_id = ANY (s.legs)
          AND i.app_id = c.app_id AND i.interaction_id = c.interaction_id
          AND NOT EXISTS (SELECT 1 FROM summary k WHERE k.app_id = i.app_id AND k.interaction_id = i.interaction_id)),
    relabelled AS (
        UPDATE calls c SET interaction_id = s.interaction_id
        FROM summary s
        WHERE c.app_id = s.app_id AND c.dialpad_call_id = ANY (s.legs)
          AND c.interaction_id IS DISTINCT FROM s.interaction_id)
    INSERT INTO call_interactions AS i (app_id, interaction_id, legs, started_at, ended_at, answered,
                                        answered_by_agent_id, outcome, talk_time_ms)
    SELECT app_id, interaction_id, legs, started_at, ended_at, answered, answered_by_agent_id, outcome, talk_time_ms
    FROM summary
    ORDER BY app_id, interaction_id
    ON CONFLICT (app_id, interaction_id) DO UPDATE SET
        legs = EXCLUDED.legs, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
        answered = EXCLUDED.answered, answered_by_agent_id = EXCLUDED.answered_by_agent_id,
        outcome = EXCLUDED.outcome, talk_time_ms = EXCLUDED.talk_time_ms, updated_at = now();
END $$;
