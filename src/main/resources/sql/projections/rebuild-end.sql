-- The end of a rebuild: completed (swapped in) when the error is null, else failed with it (POST again resumes it).
WITH p AS (SELECT CAST(? AS text) AS error)
UPDATE projection_rebuilds r SET
    status = CASE WHEN p.error IS NULL THEN 'completed' ELSE 'failed' END,
    error = left(p.error, 1000),
    swapped_at = CASE WHEN p.error IS NULL THEN now() END,
    lease_until = NULL, updated_at = now()
FROM p
WHERE r.id = ?
