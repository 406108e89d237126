-- An instance's own claims on unprocessed events, so that it can give back the ones it no longer works on
-- (a batch cut off by a database outage) at its next poll instead of waiting for their lease to expire.
CREATE INDEX webhook_events_claimed_by ON webhook_events (claimed_by) WHERE processed_at IS NULL;
