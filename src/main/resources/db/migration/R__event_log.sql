-- The partitioned event log (V12, docs/partitioning.md): idempotency keys, day partitions made ahead and dropped
-- whole (repeatable migration: edit here, Flyway re-creates them when this file changes).

-- BEFORE INSERT on webhook_events: an event's (app_id, dialpad_event_id) must be new, across every partition. The
-- key table says so: an unknown key is taken for this row; a key this row's id already holds (ingest takes its keys
-- first, in the same statement; a replay restores a row under its own key) is fine; any other is a duplicate and
-- fails as the old UNIQUE constraint did, with its name. Two sessions inserting one new key at once: the second
-- fails on the key table's primary key, which bears that same name.
CREATE OR REPLACE FUNCTION webhook_events_check_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_owner uuid;
BEGIN
    SELECT k.event_id INTO v_owner FROM webhook_event_keys k
    WHERE k.app_id = NEW.app_id AND k.dialpad_event_id = NEW.dialpad_event_id;
    IF NOT FOUND THEN
        INSERT INTO webhook_event_keys (app_id, dialpad_event_id, event_id, received_at)
        VALUES (NEW.app_id, NEW.dialpad_event_id, NEW.id, NEW.received_at);
    ELSIF v_owner IS DISTINCT FROM NEW.id THEN
        RAISE unique_violation USING
            MESSAGE = 'duplicate key value violates unique constraint "webhook_events_app_event_unique"',
            DETAIL = format('Key (app_id, dialpad_event_id)=(%s, %s) already exists.', NEW.app_id,
                            NEW.dialpad_event_id),
            CONSTRAINT = 'webhook_events_app_event_unique', TABLE = 'webhook_events';
    END IF;
    RETURN NEW;
END $$;

-- AFTER DELETE / TRUNCATE on webhook_events: a deleted event's key is free again, as its unique index entry was
-- before V12 (DELETE FROM webhook_events in a test, retention's batches, ...). A dropped day partition fires neither:
-- its keys expire with retention.idempotency-key-days.
CREATE OR REPLACE FUNCTION webhook_events_release_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM webhook_event_keys k USING old_rows o
    WHERE k.app_id = o.app_id AND k.dialpad_event_id = o.dialpad_event_id AND k.event_id = o.id;
    RETURN NULL;
END $$;

-- (a DELETE, not a TRUNCATE: the statement that truncated webhook_events may be truncating the keys too)
CREATE OR REPLACE FUNCTION webhook_events_release_all_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM webhook_event_keys;
    RETURN NULL;
END $$;

-- The name of the partition of one UTC day.
CREATE OR REPLACE FUNCTION event_partition_name(p_day date) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT 'webhook_events_' || to_char(p_day, 'YYYYMMDD')
$$;

-- The day partitions there are, and their days (the default partition is not one).
CREATE OR REPLACE FUNCTION event_day_partitions() RETURNS TABLE (partition_name text, day date)
    LANGUAGE sql STABLE AS $$
    SELECT c.relname::text, to_date(right(c.relname, 8), 'YYYYMMDD')
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'webhook_events'::regclass AND c.relname ~ '^webhook_events_[0-9]{8}$'
$$;

-- Creates the partition of one UTC day if it does not exist; true if it did. A partition is created empty and then
-- attached: attaching waits for no reader, and the default partition's CHECK spares a scan of it. Days before
-- webhook_event_log.days_from belong to the default partition: refused.
CREATE OR REPLACE FUNCTION create_event_partition(p_day date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_name text := event_partition_name(p_day);
BEGIN
    IF p_day < (SELECT (days_from AT TIME ZONE 'UTC')::date FROM webhook_event_log) THEN
        RAISE EXCEPTION 'events received on % belong to the default partition (webhook_event_log.days_from)', p_day;
    END IF;
    IF to_regclass(v_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE webhook_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
    EXECUTE format('ALTER TABLE webhook_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', v_name,
                   p_day::timestamp AT TIME ZONE 'UTC', (p_day + 1)::timestamp AT TIME ZONE 'UTC');
    RETURN true;
END $$;

-- Creates the day partitions of today (UTC) and p_days_ahead days ahead that do not exist yet; returns how many it
-- created. Run at start-up and by maintain-event-log (hourly): any instance, any number at once (an advisory lock
-- makes them take turns). p_lock_timeout_ms bounds how long it waits for a lock (0: no bound); a timeout fails the
-- call, and the next run tries again.
CREATE OR REPLACE FUNCTION create_event_partitions(p_days_ahead integer, p_lock_timeout_ms integer DEFAULT 2000)
    RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_from date := (SELECT (days_from AT TIME ZONE 'UTC')::date FROM webhook_event_log);
    v_today date := (now() AT TIME ZONE 'UTC')::date;
    v_created integer := 0;
BEGIN
    PERFORM set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
    PERFORM pg_advisory_xact_lock(hashtext('webhook_events partitions'));
    FOR d IN 0 .. p_days_ahead LOOP
        IF v_today + d >= v_from AND create_event_partition(v_today + d) THEN
            v_created := v_created + 1;
        END IF;
    END LOOP;
    RETURN v_created;
END $$;

-- Retention of the day partitions: drops each one whose whole day is older than p_keep_days and that holds no
-- unprocessed event (one that does is kept, whole, until its events are done: retention never loses one), with
-- its totals. Returns one row per partition looked at: dropped or why not, and how many events went with it.
-- Constant cost: no DELETE, no vacuum. The drop holds the table exclusively for an instant (an index probe and the
-- drop); p_lock_timeout_ms bounds the wait for that lock, after which the partition waits for the next run.
CREATE OR REPLACE FUNCTION drop_old_event_partitions(p_keep_days integer, p_lock_timeout_ms integer DEFAULT 2000)
    RETURNS TABLE (partition_name text, day date, dropped boolean, events bigint, reason text)
    LANGUAGE plpgsql AS $$
DECLARE
    v_cutoff date := (now() AT TIME ZONE 'UTC' - make_interval(days => p_keep_days))::date;
    v_pending boolean;
    v_busy boolean := false;
BEGIN
    IF p_keep_days IS NULL OR p_keep_days <= 0 THEN
        RETURN;
    END IF;
    FOR partition_name, day IN
        SELECT p.partition_name, p.day FROM event_day_partitions() AS p WHERE p.day < v_cutoff ORDER BY 1
    LOOP
        -- busy unless the lock is had: after one timeout the other days wait for the next run too (a lock queued
        -- again and again would hold up ingest each time)
        dropped := false;
        events := NULL;
        reason := 'busy: lock timeout';
        IF NOT v_busy THEN
            BEGIN
                PERFORM set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
                -- the parent first (every writer's order), then the day: no unprocessed event can appear in it
                -- meanwhile (a reprocess or a replay re-queues events in place)
                LOCK TABLE ONLY webhook_events IN ACCESS EXCLUSIVE MODE;
                EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', partition_name);
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE processed_at IS NULL)', partition_name)
                    INTO v_pending;
                IF v_pending THEN
                    reason := 'holds unprocessed events';
                ELSE
                    SELECT COALESCE(sum(t.events), 0) INTO events FROM webhook_event_totals t
                    WHERE t.received_on = day;
                    EXECUTE format('DROP TABLE %I', partition_name);
                    DELETE FROM webhook_event_totals t WHERE t.received_on = day;
                    dropped := true;
                    reason := NULL;
                END IF;
            EXCEPTION WHEN lock_not_available THEN
                v_busy := true;
            END;
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;

-- /stats -> event_log: the day partitions there are, how far ahead they go (0 or less: today's or tomorrow's is
-- missing, so maintain-event-log has not run: look at its log), and where the days start.
CREATE OR REPLACE FUNCTION event_log_stats() RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'day_partitions', count(*),
        'first_day', min(d.day),
        'last_day', max(d.day),
        'days_ahead', max(d.day) - (now() AT TIME ZONE 'UTC')::date,
        'days_from', (SELECT days_from FROM webhook_event_log))
    FROM event_day_partitions() AS d
$$;

-- the first days at once (the service makes them at every start too: event-log.partitions-ahead-days); not on a
-- schema that has not reached V12 yet (Flyway runs repeatable migrations whatever the target)
SELECT create_event_partitions(7) WHERE to_regclass('webhook_event_log') IS NOT NULL;
