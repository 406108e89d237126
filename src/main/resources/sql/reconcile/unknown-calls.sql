-- Of a page's call ids, how many this database had never heard of (reconcile_unknown_calls, R__reconcile.sql).
SELECT reconcile_unknown_calls(?, CAST(? AS bigint[]))
