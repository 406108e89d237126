-- call.* events -> call_recordings (project-call-recordings): every element of recording_details[] of every call
-- event, and every voicemail_link, one row each. A recording seen in several events keeps the url of the latest
-- event (ties: the greater url), the longest duration and the earliest start, so any order gives the same row.
WITH recordings AS (
    SELECT e.app_id, CAST(e.payload ->> 'call_id' AS bigint) AS dialpad_call_id,
           COALESCE(r ->> 'recording_type',
                    CASE WHEN e.payload ->> 'state' = 'admin_recording' THEN 'admincallrecording'
                         ELSE 'callrecording' END) AS recording_type,
           COALESCE(r ->> 'id', r ->> 'url') AS recording_id,
           r ->> 'url' AS url,
           CAST(r ->> 'duration' AS double precision) AS duration_ms,
           dialpad_time(r ->> 'start_time') AS started_at,
           dialpad_time(e.payload ->> 'event_timestamp') AS event_at
    FROM webhook_events e,
         jsonb_array_elements(CASE WHEN jsonb_typeof(e.payload -> 'recording_details') = 'array'
                                   THEN e.payload -> 'recording_details' ELSE '[]'::jsonb END) AS r
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
    UNION ALL
    -- a voicemail: its recording id, else its link
    SELECT e.app_id, CAST(e.payload ->> 'call_id' AS bigint), 'voicemail',
           COALESCE(e.payload ->> 'voicemail_recording_id', e.payload ->> 'voicemail_link'),
           e.payload ->> 'voicemail_link', NULL, NULL,
           dialpad_time(e.payload ->> 'event_timestamp')
    FROM webhook_events e
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
      AND e.payload ->> 'voicemail_link' IS NOT NULL)
INSERT INTO call_recordings AS k (app_id, dialpad_call_id, recording_type, recording_id, url, duration_ms,
                                  started_at, last_event_at)
SELECT app_id, dialpad_call_id, recording_type, recording_id,
       (array_agg(url ORDER BY COALESCE(event_at, '-infinity') DESC, url DESC) FILTER (WHERE url IS NOT NULL))[1],
       max(duration_ms), min(started_at), max(event_at) FILTER (WHERE url IS NOT NULL)
FROM recordings
WHERE recording_id IS NOT NULL
GROUP BY app_id, dialpad_call_id, recording_type, recording_id
ORDER BY app_id, dialpad_call_id, recording_type, recording_id
ON CONFLICT (app_id, dialpad_call_id, recording_type, recording_id) DO UPDATE SET
    url = CASE WHEN k.url IS NULL
                    OR (COALESCE(EXCLUDED.last_event_at, '-infinity'), EXCLUDED.url)
                       > (COALESCE(k.last_event_at, '-infinity'), k.url)
               THEN COALESCE(EXCLUDED.url, k.url) ELSE k.url END,
    duration_ms = GREATEST(k.duration_ms, EXCLUDED.duration_ms),
    started_at = LEAST(k.started_at, EXCLUDED.started_at),
    last_event_at = GREATEST(k.last_event_at, EXCLUDED.last_event_at),
    updated_at = now()
