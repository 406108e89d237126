-- After a stored page, in its transaction: the run's next phase and cursor, the page's counts, the lease renewed.
-- No row: the run is no longer this instance's (its lease expired and another took it over).
UPDATE reconcile_runs SET
    phase = ?, cursor = ?, pages = pages + 1,
    calls_examined = calls_examined + ?,
    calls_stored = calls_stored + ?,
    calls_without_webhook = calls_without_webhook + ?,
    contacts_examined = contacts_examined + ?,
    contacts_stored = contacts_stored + ?,
    api_errors = api_errors + ?,
    lease_until = now() + CAST(? AS interval), updated_at = now()
WHERE id = ? AND owner = ? AND status = 'running'
RETURNING *
