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
-- what breaks ties). A projection builds an event's facts with fact() (one per field, joined with ||);
-- merge_facts() keeps, per field, the fact with the greater (at, v). It is commutative, associative and idempotent,
-- so any order and any duplication of events gives the same facts; the tables' generated columns read them (V8).

-- Whether a value carries something: absent, null, "", [] and {} carry nothing.
CREATE OR REPLACE FUNCTION carries(v jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT v IS NOT NULL AND v NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb) $$;

-- One field's fact, {"field": {"v": value, "at": p_at}}, or {} when the value carries nothing. A single expression,
-- so PostgreSQL inlines it into the projection's statement: an event's facts cost a few microseconds. (STABLE, not
-- IMMUTABLE, because jsonb_build_object is STABLE: a function declared stricter than its body is not inlined.)
CREATE OR REPLACE FUNCTION fact(p_field text, p_value jsonb, p_at jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN carries(p_value) THEN jsonb_build_object(p_field, jsonb_build_object('v', p_value, 'at', p_at))
                      ELSE '{}'::jsonb END $$;

-- replaced by fact() (V8's first version)
DROP FUNCTION IF EXISTS facts(jsonb, jsonb);

CREATE OR REPLACE FUNCTION merge_facts(a jsonb, b jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
    field text;
    y     jsonb;
    x     jsonb;
    merged jsonb := COALESCE(a, '{}');
BEGIN
    IF b IS NULL OR b = '{}' THEN
        RETURN merged;
    ELSIF merged = '{}' THEN
        RETURN b;
    END IF;
    FOR field, y IN SELECT key, value FROM jsonb_each(b) LOOP
        x := merged -> field;
        -- b's fact wins when its (at, v) is greater
        IF x IS NULL OR y -> 'at' > x -> 'at' OR (y -> 'at' = x -> 'at' AND y -> 'v' > x -> 'v') THEN
            merged := merged || jsonb_build_object(field, y);
        END IF;
    END LOOP;
    RETURN merged;
END $$;

-- merge_facts over many rows (the events of one group).
CREATE OR REPLACE AGGREGATE merge_facts_agg(jsonb) (SFUNC = merge_facts, STYPE = jsonb, INITCOND = '{}');

-- When an event happened, as facts compare it: its event_timestamp (epoch ms), -1 when it has none; as a number (to
-- sort by) and as the facts' "at" ([number]).
CREATE OR REPLACE FUNCTION event_at_number(p_payload jsonb) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(CAST(p_payload ->> 'event_timestamp' AS numeric), -1) $$;

CREATE OR REPLACE FUNCTION event_at_key(p_payload jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT jsonb_build_array(event_at_number(p_payload)) $$;

-- Calls grouped into customer interactions (call_interactions), for the calls of the given events: legs are linked
-- when one names the other in master_call_id, entry_point_call_id or operator_call_id, and an interaction is a
-- connected group of legs. Each group containing one of these calls is found again (links followed both ways), its
-- interaction_id set on every leg (the root leg: neither master nor entry point, the smallest such id; the smallest
-- leg id while no root has arrived), its row rewritten from its legs, and rows of interactions that no longer exist
-- (two groups joined by a late leg, a root that arrived) deleted. Computed from the calls rows alone, so any arrival
-- order ends with the same rows. A transaction-level lock serialises it across instances, and each statement below
-- sees what was committed before the lock was granted (READ COMMITTED takes a snapshot per statement in PL/pgSQL).
--
-- Its cost follows the legs it touches, not the size of calls: per app, the legs are collected into an array, one
-- round per link followed, by statements that each read calls alone through an index on (the column looked up,
-- app_id), and the grouping works on those rows in memory. No statement joins calls to itself: such a join, planned
-- while calls has no statistics yet (a new database, a backlog drained after a restore), can read every call of the
-- app for every leg. Each statement is planned for its arguments (plan_cache_mode): a generic plan made while the
-- arrays were small was measured 3x slower. (A single recursive query over calls took ~100 ms per group of events,
-- hash joins of whole tables and JIT compilation, where this takes a few.)
-- p_received_from / p_received_to: the events' received_at bounds, so only the day partitions holding them are read.
DROP FUNCTION IF EXISTS refresh_interactions(uuid[]);
CREATE OR REPLACE FUNCTION refresh_interactions(p_event_ids uuid[], p_received_from timestamptz DEFAULT '-infinity',
                                                p_received_to timestamptz DEFAULT 'infinity') RETURNS void
    LANGUAGE plpgsql
    SET jit = off SET plan_cache_mode = force_custom_plan
    AS $$
DECLARE
    v_app      text;
    v_seeds    bigint[];
    v_old      bigint[];
    v_found    bigint[];
    v_frontier bigint[];
BEGIN
    -- one refresh at a time per schema (a projection rebuild refreshes its copy in schema rebuild_calls meanwhile)
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.call_interactions'));
    -- the calls of these events, per app, read by id alone: with app_id in the condition too the planner could
    -- combine the app's index (every event of the app) with the primary key, a cost that grows with the log
    FOR v_app, v_seeds IN SELECT e.app_id, array_agg(DISTINCT CAST(e.payload ->> 'call_id' AS bigint))
                          FROM webhook_events e
                          WHERE e.id = ANY (p_event_ids) AND e.received_at BETWEEN p_received_from AND p_received_to
                          GROUP BY e.app_id ORDER BY 1 LOOP
        -- and the legs of the interactions they were part of (a group can split when a leg's operator link changes)
        v_old := ARRAY(SELECT DISTINCT c.interaction_id FROM calls c
                       WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_seeds) AND c.interaction_id IS NOT NULL);
        v_found := ARRAY(SELECT c.dialpad_call_id FROM calls c
                         WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_seeds)
                         UNION
                         SELECT c.dialpad_call_id FROM calls c
                         WHERE c.app_id = v_app AND c.interaction_id = ANY (v_old));
        -- every leg linked to one found, both ways, until no new leg turns up
        v_frontier := v_found;
        WHILE cardinality(v_frontier) > 0 LOOP
            v_frontier := ARRAY(
                SELECT DISTINCT n.id
                FROM (SELECT unnest(ARRAY[c.master_call_id, c.entry_point_call_id, c.operator_call_id]) AS id
                      FROM calls c WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_frontier)
                      UNION ALL
                      SELECT c.dialpad_call_id FROM calls c
                      WHERE c.app_id = v_app AND c.master_call_id = ANY (v_frontier)
                      UNION ALL
                      SELECT c.dialpad_call_id FROM calls c
                      WHERE c.app_id = v_app AND c.entry_point_call_id = ANY (v_frontier)
                      UNION ALL
                      SELECT c.dialpad_call_id FROM calls c
                      WHERE c.app_id = v_app AND c.operator_call_id = ANY (v_frontier)) AS n
                WHERE n.id IS NOT NULL AND n.id <> ALL (v_found));
            -- only the legs that have a row (a leg named before its own events arrived has none yet)
            v_frontier := ARRAY(SELECT c.dialpad_call_id FROM calls c
                                WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_frontier));
            v_found := v_found || v_frontier;
        END LOOP;

        WITH RECURSIVE legs AS (
            SELECT c.dialpad_call_id, c.master_call_id, c.entry_point_call_id, c.operator_call_id, c.started_at,
                   c.answered_at, c.ended_at, c.agent_id, c.voicemail_url, c.last_state, c.status, c.talk_time_ms
            FROM calls c
            WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_found)),
        links AS (
            SELECT l.dialpad_call_id AS a, x.b
            FROM legs l, unnest(ARRAY[l.master_call_id, l.entry_point_call_id, l.operator_call_id]) AS x(b)
            WHERE x.b = ANY (v_found) AND x.b <> l.dialpad_call_id),
        edges AS (
            SELECT a, b FROM links UNION SELECT b, a FROM links),
        reach (seed, call_id) AS (
            SELECT dialpad_call_id, dialpad_call_id FROM legs
            UNION
            SELECT r.seed, e.b FROM reach r JOIN edges e ON e.a = r.call_id),
        groups AS (
            -- one row per connected group: its legs (the same set whichever seed found it)
            SELECT DISTINCT legs FROM (SELECT array_agg(call_id ORDER BY call_id) AS legs FROM reach GROUP BY seed) g),
        group_legs AS MATERIALIZED (
            -- each group's legs, one row each, joined to legs once below (a join per group would scan legs n times)
            SELECT g.legs, u.call_id FROM groups g CROSS JOIN LATERAL unnest(g.legs) AS u(call_id)),
        summary AS (
            SELECT g.legs,
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
            FROM group_legs g
            JOIN legs c ON c.dialpad_call_id = g.call_id
            GROUP BY g.legs),
        members AS (
            SELECT u.call_id, s.interaction_id FROM summary s CROSS JOIN LATERAL unnest(s.legs) AS u(call_id)),
        stale AS (
            -- interactions these legs belonged to that are no longer an interaction (two groups joined, a root
            -- arrived)
            DELETE FROM call_interactions i
            WHERE i.app_id = v_app
              AND i.interaction_id = ANY (ARRAY(SELECT c.interaction_id FROM calls c
                                                WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_found)))
              AND i.interaction_id NOT IN (SELECT s.interaction_id FROM summary s)),
        relabelled AS (
            UPDATE calls c SET interaction_id = m.interaction_id
            FROM members m
            WHERE c.app_id = v_app AND c.dialpad_call_id = ANY (v_found) AND c.dialpad_call_id = m.call_id
              AND c.interaction_id IS DISTINCT FROM m.interaction_id)
        INSERT INTO call_interactions AS i (app_id, interaction_id, legs, started_at, ended_at, answered,
                                            answered_by_agent_id, outcome, talk_time_ms)
        SELECT v_app, interaction_id, legs, started_at, ended_at, answered, answered_by_agent_id, outcome, talk_time_ms
        FROM summary
        ORDER BY interaction_id
        ON CONFLICT (app_id, interaction_id) DO UPDATE SET
            legs = EXCLUDED.legs, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
            answered = EXCLUDED.answered, answered_by_agent_id = EXCLUDED.answered_by_agent_id,
            outcome = EXCLUDED.outcome, talk_time_ms = EXCLUDED.talk_time_ms, updated_at = now()
        -- an unchanged interaction is not written again
        WHERE (i.legs, i.started_at, i.ended_at, i.answered, i.answered_by_agent_id, i.outcome, i.talk_time_ms)
              IS DISTINCT FROM (EXCLUDED.legs, EXCLUDED.started_at, EXCLUDED.ended_at, EXCLUDED.answered,
                                EXCLUDED.answered_by_agent_id, EXCLUDED.outcome, EXCLUDED.talk_time_ms);
    END LOOP;
END $$;
