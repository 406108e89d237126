-- One operator action (AuditLog, after every state-changing admin call).
INSERT INTO audit_log (actor, client, action, method, path, filter, status, result)
VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, CAST(? AS jsonb))
