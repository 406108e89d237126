-- Retention: console sessions that expired or were signed out more than a day ago.
DELETE FROM admin_sessions
WHERE expires_at < now() - interval '1 day'
   OR revoked_at < now() - interval '1 day'
