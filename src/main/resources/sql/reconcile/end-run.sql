-- The end of a run (reconcile_end, R__reconcile.sql): completed when the error is null, else failed with it
-- (resumed by the app's next run).
SELECT * FROM reconcile_end(?, ?, ?, ?)
