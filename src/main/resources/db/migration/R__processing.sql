-- Processing functions (repeatable migration: edit here, Flyway re-creates them when this file changes).

-- Whether an event has used up its attempts: it has been tried (or claimed) more than max-redeliveries times. The one
-- definition of the dead-letter threshold: the claim uses it (to dead-letter abandoned events, and to tell the
-- processor which attempt is the last) and record_outcomes uses it (to dead-letter a failure).
CREATE OR REPLACE FUNCTION attempts_exhausted(p_attempts integer, p_max_redeliveries integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT p_attempts > p_max_redeliveries $$;

-- process-webhook-events' onConsume: records every outcome of a batch in one statement, only on rows this instance
-- still holds (after a lost lease another instance's claim is never touched):
--   processed / skipped       -> done (claimed_by stays: who processed it)
--   failed, attempts left     -> released with its error and a back-off: retry-delay * 2^(attempts-1), capped
--   failed, attempts used up  -> a webhook_dead_letters row and outcome dead_lettered, atomically (one statement);
--                                writing the dead letter twice is a no-op (ON CONFLICT)
-- p_outcomes: [{"id": uuid, "outcome": "processed"|"skipped"|"failed", "error_class": ..., "error": ...}, ...]
-- p_received_from / p_received_to: the batch's received_at bounds, so only the day partitions holding it are read.
-- PL/pgSQL planned with the values (force_custom_plan): the other day partitions are left out of the plan itself, not
-- only skipped when it runs (a LANGUAGE sql function plans its statement for every partition at every call)
DROP FUNCTION IF EXISTS record_outcomes(jsonb, text, integer, integer, integer);
CREATE OR REPLACE FUNCTION record_outcomes(p_outcomes jsonb, p_instance text, p_max_redeliveries integer,
                                           p_retry_delay_ms integer, p_retry_max_delay_ms integer,
                                           p_received_from timestamptz DEFAULT '-infinity',
                                           p_received_to timestamptz DEFAULT 'infinity')
    RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    WITH o AS (
        SELECT * FROM jsonb_to_recordset(p_outcomes) AS o(id uuid, outcome text, error_class text, error text)),
    exhausted AS (
        INSERT INTO webhook_dead_letters (event_id, app_id, event_type, dialpad_event_id, payload, error_class,
                                          error_message, attempts)
        SELECT e.id, e.app_id, e.event_type, e.dialpad_event_id, e.payload, o.error_class, o.error, e.attempts
        FROM webhook_events e JOIN o ON o.id = e.id
        WHERE o.outcome = 'failed' AND attempts_exhausted(e.attempts, p_max_redeliveries)
          AND e.received_at BETWEEN p_received_from AND p_received_to
          AND e.claimed_by = p_instance AND e.processed_at IS NULL
        ON CONFLICT (event_id) WHERE replayed_at IS NULL DO NOTHING)
    UPDATE webhook_events AS e SET
        processed_at = CASE WHEN o.outcome <> 'failed' OR attempts_exhausted(e.attempts, p_max_redeliveries)
                            THEN now() END,
        outcome = CASE WHEN o.outcome <> 'failed' THEN o.outcome
                       WHEN attempts_exhausted(e.attempts, p_max_redeliveries) THEN 'dead_lettered' END,
        last_error = CASE WHEN o.outcome = 'failed' THEN o.error END,
        available_at = CASE WHEN o.outcome = 'failed'
                            THEN now() + make_interval(secs => LEAST(p_retry_max_delay_ms,
                                     p_retry_delay_ms * power(2, GREATEST(e.attempts - 1, 0))) / 1000.0)
                            ELSE e.available_at END,
        claimed_by = CASE WHEN o.outcome = 'failed' THEN NULL ELSE e.claimed_by END
    FROM o
    WHERE e.id = o.id AND e.claimed_by = p_instance AND e.processed_at IS NULL
      AND e.received_at BETWEEN p_received_from AND p_received_to;
END $$;

-- process-webhook-events' onConsumeFailed: the batch failed as a whole (not one event): its claims are given back
-- after the retry delay, with the error.
DROP FUNCTION IF EXISTS release_batch(uuid[], text, text, integer);
CREATE OR REPLACE FUNCTION release_batch(p_ids uuid[], p_instance text, p_error text, p_retry_delay_ms integer,
                                         p_received_from timestamptz DEFAULT '-infinity',
                                         p_received_to timestamptz DEFAULT 'infinity')
    RETURNS void LANGUAGE sql AS $$
    UPDATE webhook_events SET
        claimed_by = NULL,
        claimed_at = NULL,
        last_error = left('batch failed: ' || p_error, 2000),
        available_at = now() + make_interval(secs => p_retry_delay_ms / 1000.0)
    WHERE id = ANY (p_ids) AND claimed_by = p_instance AND processed_at IS NULL
      AND received_at BETWEEN p_received_from AND p_received_to
$$;
