-- call.* events -> call_insights (project-call-insights): Dialpad Ai and post-call data, one row per call, each
-- field from the latest event that carries it (facts, R__projections.sql). Only calls with such data get a row.
WITH events AS (
    SELECT e.app_id, CAST(e.payload ->> 'call_id' AS bigint) AS dialpad_call_id,
           fact('transcription_text', e.payload -> 'transcription_text', at) ||
           fact('recap_summary', e.payload -> 'recap_summary', at) ||
           fact('recap_outcome', e.payload -> 'recap_outcome', at) ||
           fact('recap_action_items', e.payload -> 'recap_action_items', at) ||
           fact('recap_purposes', e.payload -> 'recap_purposes', at) ||
           fact('dispositions', COALESCE(e.payload -> 'call_dispositions', e.payload -> 'dispositions'), at) ||
           fact('csat_score', e.payload -> 'csat_score', at) AS facts,
           dialpad_time(e.payload ->> 'event_timestamp') AS event_at
    FROM webhook_events e, LATERAL event_at_key(e.payload) AS at
    WHERE e.id = ANY (CAST(:#${exchangeProperty.group.idArray} AS uuid[]))
      AND e.received_at BETWEEN CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz)
                            AND CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz)
      -- most call events carry none of these (null or absent): skip them before building anything
      AND (carries(e.payload -> 'transcription_text') OR carries(e.payload -> 'recap_summary')
           OR carries(e.payload -> 'recap_outcome') OR carries(e.payload -> 'recap_action_items')
           OR carries(e.payload -> 'recap_purposes') OR carries(e.payload -> 'call_dispositions')
           OR carries(e.payload -> 'dispositions') OR carries(e.payload -> 'csat_score')))
INSERT INTO call_insights AS k (app_id, dialpad_call_id, facts, last_event_at)
SELECT app_id, dialpad_call_id, merge_facts_agg(facts), max(event_at) FILTER (WHERE facts <> '{}'::jsonb)
FROM events
WHERE facts <> '{}'::jsonb
GROUP BY app_id, dialpad_call_id
ORDER BY app_id, dialpad_call_id
ON CONFLICT (app_id, dialpad_call_id) DO UPDATE SET
    facts = merge_facts(k.facts, EXCLUDED.facts),
    last_event_at = GREATEST(k.last_event_at, EXCLUDED.last_event_at),
    updated_at = now()
