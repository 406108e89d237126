-- Projection rebuilds (docs/rebuild.md): the copy's schema, and the swap.

-- The schema rebuild_<projection> with an empty copy of each table (columns, defaults, generated columns,
-- constraints, indexes): the rebuild's routes write there (their connections' search_path puts it first). Kept when
-- it exists (a rebuild resumed after a crash goes on with it); p_fresh drops it first.
CREATE OR REPLACE FUNCTION rebuild_prepare(p_projection text, p_tables text[], p_fresh boolean) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    s text := 'rebuild_' || p_projection;
    t text;
BEGIN
    IF p_fresh THEN
        EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', s);
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', s);
    FOREACH t IN ARRAY p_tables LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I (LIKE public.%I INCLUDING ALL)', s, t, t);
    END LOOP;
END $$;

-- The swap, in the caller's transaction (which holds ACCESS EXCLUSIVE locks on the served tables): each served
-- table is dropped (with what depends on its row type: the console's *_json functions, re-created by the caller)
-- and its copy moved in, its indexes renamed to the served table's names (matched by definition), so later
-- migrations find them; the rebuild schema is dropped.
CREATE OR REPLACE FUNCTION rebuild_swap(p_projection text, p_tables text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s    text := 'rebuild_' || p_projection;
    t    text;
    old  record;
    fresh text;
    names jsonb;
BEGIN
    FOREACH t IN ARRAY p_tables LOOP
        -- the served table's index names by their definition without name and schema
        SELECT COALESCE(jsonb_object_agg(regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ', 'CREATE \1INDEX ON '),
                                         c.relname), '{}')
        INTO names
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = format('public.%I', t)::regclass;
        EXECUTE format('DROP TABLE public.%I CASCADE', t);
        EXECUTE format('ALTER TABLE %I.%I SET SCHEMA public', s, t);
        FOR old IN SELECT c.relname AS fresh_name,
                          names ->> regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ', 'CREATE \1INDEX ON ') AS served_name
                   FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE i.indrelid = format('public.%I', t)::regclass LOOP
            IF old.served_name IS NOT NULL AND old.served_name <> old.fresh_name THEN
                EXECUTE format('ALTER INDEX public.%I RENAME TO %I', old.fresh_name, old.served_name);
            END IF;
        END LOOP;
    END LOOP;
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
END $$;

-- POST /projections/{table}/rebuild: the rebuild to run now. A failed one, or one whose instance died (lease
-- expired), is resumed from its cursor; else a new one counting the events to run. Raises lock_not_available
-- (55P03) while another instance (or this one) is running one of the projection.
CREATE OR REPLACE FUNCTION rebuild_begin(p_projection text, p_tables text[], p_type_pattern text, p_owner text,
                                         p_lease_seconds integer, p_requested_by text)
    RETURNS projection_rebuilds LANGUAGE plpgsql AS $$
DECLARE
    r projection_rebuilds;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('rebuild:' || p_projection));
    SELECT * INTO r FROM projection_rebuilds
    WHERE projection = p_projection AND status IN ('running', 'failed')
    ORDER BY id DESC LIMIT 1;
    IF FOUND AND r.status = 'running' AND r.lease_until > now() THEN
        RAISE EXCEPTION 'a rebuild of % is running on %', p_projection, r.owner USING ERRCODE = 'lock_not_available';
    END IF;
    IF FOUND THEN
        UPDATE projection_rebuilds SET status = 'running', owner = p_owner, error = NULL,
               lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now(),
               requested_by = COALESCE(p_requested_by, requested_by)
        WHERE id = r.id
        RETURNING * INTO r;
        RETURN r;
    END IF;
    INSERT INTO projection_rebuilds (projection, tables, type_pattern, owner, lease_until, total, requested_by)
    VALUES (p_projection, p_tables, p_type_pattern, p_owner, now() + make_interval(secs => p_lease_seconds),
            (SELECT count(*) FROM webhook_events
             WHERE processed_at IS NOT NULL AND outcome = 'processed' AND event_type LIKE p_type_pattern),
            p_requested_by)
    RETURNING * INTO r;
    RETURN r;
END $$;
