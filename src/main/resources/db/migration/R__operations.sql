-- Operations functions: the totals behind /stats and the gauges, and /stats itself (repeatable migration: edit
-- here, Flyway re-creates them when this file changes). The table webhook_event_totals and its triggers are in V3.

-- The day (UTC) an event's totals are counted in: the day of its partition (V12), so dropping the partition drops
-- exactly its totals. /stats sums the days.
CREATE OR REPLACE FUNCTION totals_day(p_received_at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT (p_received_at AT TIME ZONE 'UTC')::date
$$;

-- Statement-level triggers on webhook_events keep webhook_event_totals exact: every statement that changes outcomes
-- (the processor's mark, a replay, retention, a manual UPDATE or DELETE) adjusts them once, with one row per group it
-- touched. Ingest's INSERTs do not fire them (a new event has no outcome), so the hot path pays nothing.
CREATE OR REPLACE FUNCTION webhook_event_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_event_totals AS t (app_id, event_type, outcome, received_on, events)
    SELECT app_id, event_type, outcome, received_on, sum(delta)
    FROM (SELECT app_id, event_type, outcome, totals_day(received_at) AS received_on, 1 AS delta
          FROM new_rows WHERE outcome IS NOT NULL
          UNION ALL
          SELECT app_id, event_type, outcome, totals_day(received_at), -1 FROM old_rows WHERE outcome IS NOT NULL) AS d
    GROUP BY app_id, event_type, outcome, received_on
    HAVING sum(delta) <> 0
    ORDER BY app_id, event_type, outcome, received_on          -- one lock order for every writer: no deadlocks
    ON CONFLICT (app_id, event_type, outcome, received_on) DO UPDATE SET events = t.events + EXCLUDED.events;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION webhook_event_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_event_totals AS t (app_id, event_type, outcome, received_on, events)
    SELECT app_id, event_type, outcome, totals_day(received_at), -count(*) FROM old_rows WHERE outcome IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (app_id, event_type, outcome, received_on) DO UPDATE SET events = t.events + EXCLUDED.events;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION webhook_event_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM webhook_event_totals;
    RETURN NULL;
END $$;

-- Recomputes the totals from the rows (after a bulk load with outcomes already set, for instance).
CREATE OR REPLACE FUNCTION webhook_event_totals_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM webhook_event_totals;
    INSERT INTO webhook_event_totals (app_id, event_type, outcome, received_on, events)
    SELECT app_id, event_type, outcome, totals_day(received_at), count(*) FROM webhook_events WHERE outcome IS NOT NULL
    GROUP BY 1, 2, 3, 4;
$$;

-- The numbers of GET /stats (and, with p_max_groups = 0, of the gauges): totals, per event type and per app. Reads
-- the totals table and the unprocessed partial index only, so it stays fast however many processed events the table
-- holds. The lists hold at most p_max_groups event types and apps (the most unprocessed and dead-lettered first, then
-- the busiest: top-N sorts, bounded memory); event_types_omitted / apps_omitted count the rest, which the totals
-- include. With p_max_groups = 0 the lists are not computed.
CREATE OR REPLACE FUNCTION webhook_stats(p_max_groups integer DEFAULT 100) RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH pending AS (
        SELECT app_id, event_type, count(*) AS unprocessed,
               count(*) FILTER (WHERE claimed_by IS NOT NULL AND available_at > now()) AS in_flight,
               min(received_at) AS oldest_unprocessed
        FROM webhook_events WHERE processed_at IS NULL
        GROUP BY app_id, event_type),
    finished AS (
        SELECT app_id, event_type,
               sum(events) FILTER (WHERE outcome = 'processed') AS processed,
               sum(events) FILTER (WHERE outcome = 'skipped') AS skipped,
               sum(events) FILTER (WHERE outcome = 'dead_lettered') AS dead_lettered
        FROM webhook_event_totals GROUP BY app_id, event_type),
    cells AS (
        SELECT COALESCE(p.app_id, f.app_id) AS app_id, COALESCE(p.event_type, f.event_type) AS event_type,
               COALESCE(p.unprocessed, 0) AS unprocessed, COALESCE(p.in_flight, 0) AS in_flight,
               p.oldest_unprocessed,
               COALESCE(f.processed, 0) AS processed, COALESCE(f.skipped, 0) AS skipped,
               COALESCE(f.dead_lettered, 0) AS dead_lettered
        FROM pending p FULL JOIN finished f ON f.app_id = p.app_id AND f.event_type = p.event_type),
    by_type AS (
        SELECT event_type AS key, sum(unprocessed) AS unprocessed, sum(in_flight) AS in_flight,
               sum(processed) AS processed, sum(skipped) AS skipped, sum(dead_lettered) AS dead_lettered,
               min(oldest_unprocessed) AS oldest_unprocessed
        FROM cells GROUP BY event_type),
    by_app AS (
        SELECT app_id AS key, sum(unprocessed) AS unprocessed, sum(in_flight) AS in_flight,
               sum(processed) AS processed, sum(skipped) AS skipped, sum(dead_lettered) AS dead_lettered,
               min(oldest_unprocessed) AS oldest_unprocessed
        FROM cells GROUP BY app_id),
    top_types AS (
        SELECT * FROM by_type
        ORDER BY unprocessed + dead_lettered DESC, unprocessed + processed + skipped + dead_lettered DESC,
                 key COLLATE "C"
        LIMIT p_max_groups),
    top_apps AS (
        SELECT * FROM by_app
        ORDER BY unprocessed + dead_lettered DESC, unprocessed + processed + skipped + dead_lettered DESC,
                 key COLLATE "C"
        LIMIT p_max_groups)
    SELECT jsonb_build_object(
        'unprocessed', COALESCE(sum(unprocessed), 0),
        'in_flight', COALESCE(sum(in_flight), 0),
        'processed', COALESCE(sum(processed), 0),
        'skipped', COALESCE(sum(skipped), 0),
        'dead_lettered', COALESCE(sum(dead_lettered), 0),
        'oldest_unprocessed', min(oldest_unprocessed),
        'lag_seconds', COALESCE(round(extract(epoch FROM now() - min(oldest_unprocessed)), 3), 0),
        'dead_letters_open', (SELECT count(*) FROM webhook_dead_letters WHERE replayed_at IS NULL),
        'event_types', CASE WHEN p_max_groups > 0 THEN COALESCE((SELECT jsonb_object_agg(key, jsonb_build_object(
            'unprocessed', unprocessed, 'in_flight', in_flight, 'processed', processed, 'skipped', skipped,
            'dead_lettered', dead_lettered, 'oldest_unprocessed', oldest_unprocessed,
            'lag_seconds', COALESCE(round(extract(epoch FROM now() - oldest_unprocessed), 3), 0)))
            FROM top_types), '{}'::jsonb) ELSE '{}'::jsonb END,
        'apps', CASE WHEN p_max_groups > 0 THEN COALESCE((SELECT jsonb_object_agg(key, jsonb_build_object(
            'unprocessed', unprocessed, 'in_flight', in_flight, 'processed', processed, 'skipped', skipped,
            'dead_lettered', dead_lettered, 'oldest_unprocessed', oldest_unprocessed,
            'lag_seconds', COALESCE(round(extract(epoch FROM now() - oldest_unprocessed), 3), 0)))
            FROM top_apps), '{}'::jsonb) ELSE '{}'::jsonb END,
        'event_types_omitted', CASE WHEN p_max_groups > 0
            THEN GREATEST((SELECT count(*) FROM by_type) - p_max_groups, 0) END,
        'apps_omitted', CASE WHEN p_max_groups > 0
            THEN GREATEST((SELECT count(*) FROM by_app) - p_max_groups, 0) END)
    FROM cells
$$;
