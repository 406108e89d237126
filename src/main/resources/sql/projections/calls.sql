-- The calls projection (project-calls): one row per (app_id, call id), merged from a group of call events in one
-- statement. Dialpad's call events are snapshots of the call, and every field merges so that any order and any
-- duplication of a call's events gives the same row. Events of one call within the group are merged first
-- (GROUP BY), then with the stored row (ON CONFLICT). The columns of who and how (agent, contact, labels, scores,
-- ...) are generated from `facts` (V8): each field the value of the latest event that carries one (`fields`).
-- (camel-sql reads '#' as a parameter marker: write JSON paths with -> and ->>, never #> or #>>.)
WITH events AS (
    SELECT e.app_id,
           CAST(e.payload ->> 'call_id' AS bigint) AS dialpad_call_id,
           e.payload ->> 'direction' AS direction,
           -- from/to follow the call's direction: inbound external -> internal, outbound internal -> external
           CASE WHEN e.payload ->> 'direction' = 'outbound' THEN e.payload ->> 'internal_number'
                ELSE e.payload ->> 'external_number' END AS from_number,
           CASE WHEN e.payload ->> 'direction' = 'outbound' THEN e.payload ->> 'external_number'
                ELSE e.payload ->> 'internal_number' END AS to_number,
           -- the status each event type implies (the event types: dialpad.call-event-types in application.properties)
           CASE e.event_type WHEN 'call.ring' THEN 'ringing'
                             WHEN 'call.started' THEN 'active'
                             WHEN 'call.ended' THEN 'ended'
                             -- a call log from Dialpad's API (reconcile): Dialpad lists concluded calls only
                             WHEN 'call.reconciled' THEN CASE WHEN e.payload ->> 'date_ended' IS NOT NULL THEN 'ended'
                                                              WHEN e.payload ->> 'date_connected' IS NOT NULL
                                                                  THEN 'active'
                                                              ELSE 'ringing' END END AS status,
           dialpad_time(e.payload ->> 'date_started') AS started_at,
           -- answered: date_connected, else the time of the connected event itself
           COALESCE(dialpad_time(e.payload ->> 'date_connected'),
                    CASE WHEN e.event_type = 'call.started' THEN dialpad_time(e.payload ->> 'event_timestamp') END)
               AS answered_at,
           -- ended: date_ended, else the time of the ending event itself
           COALESCE(dialpad_time(e.payload ->> 'date_ended'),
                    CASE WHEN e.event_type = 'call.ended' THEN dialpad_time(e.payload ->> 'event_timestamp') END)
               AS ended_at,
           CAST(e.payload ->> 'duration' AS double precision) AS duration_ms,
           e.payload -> 'recording_details' -> 0 ->> 'url' AS recording_url,
           e.payload ->> 'voicemail_link' AS voicemail_url,
           CAST(e.payload ->> 'master_call_id' AS bigint) AS master_call_id,
           CAST(e.payload ->> 'entry_point_call_id' AS bigint) AS entry_point_call_id,
           e.payload ->> 'state' AS state,
           dialpad_time(e.payload ->> 'event_timestamp') AS event_at,
           CAST(e.payload ->> 'talk_time' AS double precision) AS talk_time_ms,
           CAST(e.payload ->> 'hold_time' AS double precision) AS hold_time_ms,
           CAST(e.payload ->> 'total_duration' AS double precision) AS total_duration_ms
    FROM webhook_events e
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)),
fields AS (
    -- who and how: per call and field, the value of the latest event that carries one (latest event_timestamp, then
    -- the greater value), as its fact (R__projections.sql). One line per field: to keep another, add it here and a
    -- generated column reading it (docs/data-model.md). Each event's target, contact and time are read once, not
    -- once per field (OFFSET 0 keeps the subquery a step of its own), and sorted by as a number: a fifth faster
    SELECT DISTINCT ON (x.app_id, x.dialpad_call_id, f.field)
           x.app_id, x.dialpad_call_id, f.field, f.value, x.at
    FROM (SELECT e.app_id, CAST(e.payload ->> 'call_id' AS bigint) AS dialpad_call_id, e.payload,
                 e.payload -> 'target' AS target, e.payload -> 'contact' AS contact,
                 event_at_number(e.payload) AS at_number, event_at_key(e.payload) AS at
          FROM webhook_events e
          WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
            AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                                  AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
          OFFSET 0) AS x,
         LATERAL (VALUES
             ('agent_id', x.target -> 'id'),
             ('agent_name', x.target -> 'name'),
             ('agent_email', x.target -> 'email'),
             ('agent_type', x.target -> 'type'),
             ('contact_id', x.contact -> 'id'),
             ('contact_name', x.contact -> 'name'),
             ('contact_phone', x.contact -> 'phone'),
             ('operator_call_id', x.payload -> 'operator_call_id'),
             ('group_id', x.payload -> 'group_id'),
             ('was_recorded', x.payload -> 'was_recorded'),
             ('is_transferred', x.payload -> 'is_transferred'),
             ('labels', x.payload -> 'labels'),
             ('mos_score', x.payload -> 'mos_score'),
             ('csat_score', x.payload -> 'csat_score')) AS f (field, value)
    WHERE carries(f.value)
    ORDER BY x.app_id, x.dialpad_call_id, f.field, x.at_number DESC, f.value DESC),
facts AS MATERIALIZED (
    SELECT app_id, dialpad_call_id, jsonb_object_agg(field, jsonb_build_object('v', value, 'at', at)) AS facts
    FROM fields
    GROUP BY app_id, dialpad_call_id)
INSERT INTO calls AS c (app_id, dialpad_call_id, direction, from_number, to_number, status, started_at, answered_at,
                        ended_at, duration_ms, recording_url, recording_event_at, voicemail_url, voicemail_event_at,
                        master_call_id, entry_point_call_id, last_state, last_event_at, facts, talk_time_ms,
                        hold_time_ms, total_duration_ms, interaction_id)
SELECT app_id, dialpad_call_id, min(direction), min(from_number), min(to_number),
       -- the most advanced status of the group
       (array_agg(status ORDER BY call_status_rank(status) DESC))[1],
       min(started_at), min(answered_at), max(ended_at), max(duration_ms),
       -- recording and voicemail: the first link of the earliest event carrying one
       (array_agg(recording_url ORDER BY event_at, recording_url) FILTER (WHERE recording_url IS NOT NULL))[1],
       min(event_at) FILTER (WHERE recording_url IS NOT NULL),
       (array_agg(voicemail_url ORDER BY event_at, voicemail_url) FILTER (WHERE voicemail_url IS NOT NULL))[1],
       min(event_at) FILTER (WHERE voicemail_url IS NOT NULL),
       max(master_call_id), max(entry_point_call_id),
       -- the state of the latest event
       (array_agg(state ORDER BY event_at DESC NULLS LAST, state DESC))[1],
       max(event_at),
       COALESCE(f.facts, '{}'),
       -- durations: the largest seen
       max(talk_time_ms), max(hold_time_ms), max(total_duration_ms),
       -- a new row's likely interaction (its entry point, else its master, else itself), so that the usual case needs
       -- no second write; project-call-interactions sets the real one right after
       COALESCE(max(entry_point_call_id), max(master_call_id), dialpad_call_id)
FROM events
-- a join, not a subquery per call: a batch of n calls would scan facts n times
LEFT JOIN facts f USING (app_id, dialpad_call_id)
-- (facts has one row per call: grouping by it too keeps one row per call)
GROUP BY app_id, dialpad_call_id, f.facts
ORDER BY app_id, dialpad_call_id
ON CONFLICT (app_id, dialpad_call_id) DO UPDATE SET
    direction = COALESCE(c.direction, EXCLUDED.direction),
    from_number = COALESCE(c.from_number, EXCLUDED.from_number),
    to_number = COALESCE(c.to_number, EXCLUDED.to_number),
    -- status only moves forward: ringing < active < ended (a late ringing never reopens an ended call)
    status = CASE WHEN call_status_rank(EXCLUDED.status) > call_status_rank(c.status) THEN EXCLUDED.status
                  ELSE c.status END,
    started_at = LEAST(c.started_at, EXCLUDED.started_at),
    answered_at = LEAST(c.answered_at, EXCLUDED.answered_at),
    ended_at = GREATEST(c.ended_at, EXCLUDED.ended_at),
    duration_ms = GREATEST(c.duration_ms, EXCLUDED.duration_ms),
    -- the earliest event's link wins, whichever arrived first
    recording_url = CASE WHEN earlier_link(EXCLUDED.recording_url, EXCLUDED.recording_event_at, c.recording_url,
                                           c.recording_event_at)
                         THEN EXCLUDED.recording_url ELSE c.recording_url END,
    recording_event_at = CASE WHEN earlier_link(EXCLUDED.recording_url, EXCLUDED.recording_event_at, c.recording_url,
                                                c.recording_event_at)
                              THEN EXCLUDED.recording_event_at ELSE c.recording_event_at END,
    voicemail_url = CASE WHEN earlier_link(EXCLUDED.voicemail_url, EXCLUDED.voicemail_event_at, c.voicemail_url,
                                           c.voicemail_event_at)
                         THEN EXCLUDED.voicemail_url ELSE c.voicemail_url END,
    voicemail_event_at = CASE WHEN earlier_link(EXCLUDED.voicemail_url, EXCLUDED.voicemail_event_at, c.voicemail_url,
                                                c.voicemail_event_at)
                              THEN EXCLUDED.voicemail_event_at ELSE c.voicemail_event_at END,
    master_call_id = COALESCE(c.master_call_id, EXCLUDED.master_call_id),
    entry_point_call_id = COALESCE(c.entry_point_call_id, EXCLUDED.entry_point_call_id),
    -- the state of the latest event_timestamp
    last_state = CASE WHEN c.last_event_at IS NULL
                           OR (EXCLUDED.last_event_at, EXCLUDED.last_state) > (c.last_event_at, c.last_state)
                      THEN COALESCE(EXCLUDED.last_state, c.last_state) ELSE c.last_state END,
    last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at),
    facts = merge_facts(c.facts, EXCLUDED.facts),
    talk_time_ms = GREATEST(c.talk_time_ms, EXCLUDED.talk_time_ms),
    hold_time_ms = GREATEST(c.hold_time_ms, EXCLUDED.hold_time_ms),
    total_duration_ms = GREATEST(c.total_duration_ms, EXCLUDED.total_duration_ms),
    updated_at = now()
