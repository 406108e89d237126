-- Operator controls (docs/operator-controls.md): the reprocess filter and its batches.

-- Whether an event matches a reprocess filter: {"event_type", "app_id", "from", "to" (received_at), "outcome",
-- "dialpad_event_id"}, each absent = any.
CREATE OR REPLACE FUNCTION reprocess_matches(p_filter jsonb, p_event_type text, p_app_id text,
                                             p_received_at timestamptz, p_outcome text, p_dialpad_event_id text)
    RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_filter ->> 'event_type' IS NULL OR p_event_type = p_filter ->> 'event_type')
       AND (p_filter ->> 'app_id' IS NULL OR p_app_id = p_filter ->> 'app_id')
       AND (p_filter ->> 'from' IS NULL OR p_received_at >= CAST(p_filter ->> 'from' AS timestamptz))
       AND (p_filter ->> 'to' IS NULL OR p_received_at < CAST(p_filter ->> 'to' AS timestamptz))
       AND (p_filter ->> 'outcome' IS NULL OR p_outcome = p_filter ->> 'outcome')
       AND (p_filter ->> 'dialpad_event_id' IS NULL OR p_dialpad_event_id = p_filter ->> 'dialpad_event_id')
$$;

-- One step of the oldest running reprocess job (the route requeue-reprocess-batches calls it): the next p_batch
-- matching events, in (processed_at, id) order, queued again with priority 1 (claimed after live events) and a
-- fresh attempt count; their open dead letters resolved. Returns how many were queued (0: nothing to do now).
CREATE OR REPLACE FUNCTION reprocess_step(p_batch integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    j      reprocess_jobs;
    n      integer;
    last_p timestamptz;
    last_i uuid;
    ids    uuid[];
    r_from timestamptz;
    r_to   timestamptz;
BEGIN
    SELECT * INTO j FROM reprocess_jobs WHERE status = 'running' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    SELECT COALESCE(array_agg(b.id), '{}'), count(*), max(b.processed_at),
           (array_agg(b.id ORDER BY b.processed_at DESC, b.id DESC))[1], min(b.received_at), max(b.received_at)
    INTO ids, n, last_p, last_i, r_from, r_to
    FROM (SELECT e.id, e.processed_at, e.received_at FROM webhook_events e
          WHERE e.processed_at IS NOT NULL AND e.processed_at <= j.upto
            AND (j.cursor_processed_at IS NULL OR (e.processed_at, e.id) > (j.cursor_processed_at, j.cursor_id))
            AND reprocess_matches(j.filter, e.event_type, e.app_id, e.received_at, e.outcome, e.dialpad_event_id)
          ORDER BY e.processed_at, e.id
          LIMIT p_batch) AS b;
    UPDATE webhook_events e SET processed_at = NULL, outcome = NULL, attempts = 0, last_error = NULL,
                                claimed_by = NULL, claimed_at = NULL, available_at = now(), priority = 1
    WHERE e.id = ANY (ids) AND e.received_at BETWEEN r_from AND r_to;   -- only the day partitions holding them
    UPDATE webhook_dead_letters d SET replayed_at = now()
    WHERE d.event_id = ANY (ids) AND d.replayed_at IS NULL;
    UPDATE reprocess_jobs SET
        requeued = requeued + n,
        cursor_processed_at = COALESCE(last_p, cursor_processed_at), cursor_id = COALESCE(last_i, cursor_id),
        status = CASE WHEN n < p_batch THEN 'completed' ELSE status END,
        finished_at = CASE WHEN n < p_batch THEN now() END,
        updated_at = now()
    WHERE id = j.id;
    RETURN n;
END $$;
