-- The run to work on now (reconcile_begin, R__reconcile.sql): app, owner, trigger, since (null: resume or go on from
-- the watermark), overlap, first-run lookback, lease.
SELECT * FROM reconcile_begin(?, ?, ?, CAST(? AS timestamptz), ?, ?, ?)
