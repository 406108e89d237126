-- POST /processing/resume: claiming goes on, on every instance, at its next poll.
UPDATE processing_control SET paused = false, changed_at = now(),
       changed_by = :#${exchangeProperty.adminActor}, reason = CAST(:#${header.reason} AS text)
RETURNING CAST(json_build_object('paused', paused, 'changed_at', changed_at, 'changed_by', changed_by,
                                 'reason', reason) AS text)
