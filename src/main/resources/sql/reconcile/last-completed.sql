-- When the app's latest completed run ended (the schedule skips an app reconciled less than an interval ago).
SELECT max(finished_at) FROM reconcile_runs WHERE app_id = ? AND status = 'completed'
