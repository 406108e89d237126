-- On shutdown: the events this instance claimed but did not finish (a batch cut short by the shutdown timeout) are
-- claimable again at once, the unfinished attempt not counted.
UPDATE webhook_events SET
    claimed_by = NULL,
    claimed_at = NULL,
    available_at = now(),
    attempts = GREATEST(attempts - 1, 0)
WHERE claimed_by = ?
  AND processed_at IS NULL
