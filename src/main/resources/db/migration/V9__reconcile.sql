-- Reconcile with Dialpad's API (issue "Never miss a call", docs/reconcile.md): one row per run of an app. A run pages
-- through Dialpad's call logs of its window (window_from .. window_to, by date_started), then through the app's
-- contacts, storing each as an event through the ingest statement; after each page its cursor and counts are saved
-- here, so a run cut off (crash, API down) is resumed from the page it had reached. An app's watermark is the end of
-- its latest completed run's window; the next run starts there, less the overlap.
CREATE TABLE reconcile_runs (
    id                    bigserial PRIMARY KEY,
    app_id                text        NOT NULL,
    trigger               text        NOT NULL,               -- timer | admin | cli
    window_from           timestamptz NOT NULL,
    window_to             timestamptz NOT NULL,
    phase                 text        NOT NULL DEFAULT 'calls' CHECK (phase IN ('calls', 'contacts', 'done')),
    cursor                text,                               -- the next page of the phase (null: its first page)
    status                text        NOT NULL DEFAULT 'running'
                                      CHECK (status IN ('running', 'completed', 'failed', 'superseded')),
    owner                 text,                               -- the instance running it (processor.instance-id)
    lease_until           timestamptz,                        -- another instance may take it over after this
    pages                 integer     NOT NULL DEFAULT 0,
    calls_examined        integer     NOT NULL DEFAULT 0,     -- call logs Dialpad listed
    calls_stored          integer     NOT NULL DEFAULT 0,     -- of them, new events (the rest were stored before)
    calls_without_webhook integer     NOT NULL DEFAULT 0,     -- of them, calls this database had never heard of
    contacts_examined     integer     NOT NULL DEFAULT 0,
    contacts_stored       integer     NOT NULL DEFAULT 0,
    api_errors            integer     NOT NULL DEFAULT 0,     -- answers that were not 2xx (429 and 5xx included)
    error                 text,
    started_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    finished_at           timestamptz,
    CHECK (window_from < window_to)
);

-- at most one run in progress per app (whichever instance holds it)
CREATE UNIQUE INDEX reconcile_runs_one_running ON reconcile_runs (app_id) WHERE status = 'running';
CREATE INDEX reconcile_runs_app ON reconcile_runs (app_id, id DESC);
