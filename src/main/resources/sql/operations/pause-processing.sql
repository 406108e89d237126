-- POST /processing/pause: every instance stops claiming (the claim reads processing_control); ingest goes on.
UPDATE processing_control SET paused = true, changed_at = now(),
       changed_by = :#${exchangeProperty.adminActor}, reason = CAST(:#${header.reason} AS text)
RETURNING CAST(json_build_object('paused', paused, 'changed_at', changed_at, 'changed_by', changed_by,
                                 'reason', reason) AS text)
