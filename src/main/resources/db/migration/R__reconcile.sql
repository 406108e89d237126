-- Reconcile with Dialpad's API (docs/reconcile.md): the run bookkeeping of V9's reconcile_runs.

-- The run an instance works on now for an app: with p_since null, the run that was cut off (failed, or running
-- with its lease expired) resumed from its cursor, else a new run from the watermark (the end of the latest
-- completed run's window) less p_overlap, or p_lookback ago for an app's first run; with p_since, a new run from
-- there (an unfinished run is superseded). Raises lock_not_available (55P03) while another instance holds a run of
-- the app.
CREATE OR REPLACE FUNCTION reconcile_begin(p_app text, p_owner text, p_trigger text, p_since timestamptz,
                                           p_overlap interval, p_lookback interval, p_lease interval)
    RETURNS reconcile_runs LANGUAGE plpgsql AS $$
DECLARE
    r reconcile_runs;
BEGIN
    -- one caller per app at a time from here to the commit
    PERFORM pg_advisory_xact_lock(hashtext('reconcile:' || p_app));
    SELECT * INTO r FROM reconcile_runs
    WHERE app_id = p_app AND status IN ('running', 'failed')
    ORDER BY id DESC LIMIT 1;
    IF FOUND AND r.status = 'running' AND r.owner IS DISTINCT FROM p_owner AND r.lease_until > now() THEN
        RAISE EXCEPTION 'a reconcile run of app % is in progress on %', p_app, r.owner
            USING ERRCODE = 'lock_not_available';
    END IF;
    IF FOUND AND p_since IS NULL THEN
        UPDATE reconcile_runs SET status = 'running', owner = p_owner, lease_until = now() + p_lease, error = NULL,
                                  updated_at = now()
        WHERE id = r.id
        RETURNING * INTO r;
        RETURN r;
    END IF;
    UPDATE reconcile_runs SET status = 'superseded', finished_at = now(), updated_at = now()
    WHERE app_id = p_app AND status IN ('running', 'failed');
    INSERT INTO reconcile_runs (app_id, trigger, window_from, window_to, owner, lease_until)
    VALUES (p_app, p_trigger,
            LEAST(COALESCE(p_since,
                           (SELECT max(window_to) FROM reconcile_runs WHERE app_id = p_app AND status = 'completed')
                               - p_overlap,
                           now() - p_lookback), now() - interval '1 second'),
            now(), p_owner, now() + p_lease)
    RETURNING * INTO r;
    RETURN r;
END $$;

-- The end of a run: completed, or failed with its error (resumable: the next run of the app picks it up).
CREATE OR REPLACE FUNCTION reconcile_end(p_run bigint, p_owner text, p_error text, p_api_errors integer)
    RETURNS reconcile_runs LANGUAGE sql AS $$
    UPDATE reconcile_runs SET
        status = CASE WHEN p_error IS NULL THEN 'completed' ELSE 'failed' END,
        phase = CASE WHEN p_error IS NULL THEN 'done' ELSE phase END,
        cursor = CASE WHEN p_error IS NULL THEN NULL ELSE cursor END,
        error = left(p_error, 1000), api_errors = api_errors + p_api_errors,
        lease_until = NULL, updated_at = now(),
        finished_at = CASE WHEN p_error IS NULL THEN now() END
    WHERE id = p_run AND owner = p_owner
    RETURNING *
$$;

-- Of these call ids, how many this database has never heard of: no calls row and no call event waiting to be
-- processed (a webhook stored but not yet projected counts as heard of).
CREATE OR REPLACE FUNCTION reconcile_unknown_calls(p_app text, p_call_ids bigint[]) RETURNS integer
    LANGUAGE sql STABLE AS $$
    SELECT count(DISTINCT u.call_id)::integer
    FROM unnest(p_call_ids) AS u(call_id)
    WHERE NOT EXISTS (SELECT 1 FROM calls c WHERE c.dialpad_call_id = u.call_id AND c.app_id = p_app)
      AND NOT EXISTS (SELECT 1 FROM webhook_events e
                      WHERE e.processed_at IS NULL AND e.app_id = p_app AND e.event_type LIKE 'call.%'
                        AND e.payload ->> 'call_id' = CAST(u.call_id AS text))
$$;

-- /stats: per app (at most 100), its latest run and its watermark.
CREATE OR REPLACE FUNCTION reconcile_stats() RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_object_agg(r.app_id, jsonb_build_object(
               'last_run', jsonb_build_object(
                   'id', r.id, 'trigger', r.trigger, 'status', r.status, 'phase', r.phase,
                   'window_from', r.window_from, 'window_to', r.window_to,
                   'started_at', r.started_at, 'finished_at', r.finished_at, 'pages', r.pages,
                   'calls_examined', r.calls_examined, 'calls_stored', r.calls_stored,
                   'calls_without_webhook', r.calls_without_webhook,
                   'contacts_examined', r.contacts_examined, 'contacts_stored', r.contacts_stored,
                   'api_errors', r.api_errors, 'error', r.error),
               'watermark', (SELECT max(w.window_to) FROM reconcile_runs w
                             WHERE w.app_id = r.app_id AND w.status = 'completed'))), '{}'::jsonb)
    FROM (SELECT DISTINCT ON (app_id) * FROM reconcile_runs ORDER BY app_id, id DESC LIMIT 100) r
$$;
