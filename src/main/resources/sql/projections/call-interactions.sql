-- call.* events -> call_interactions (project-call-interactions): the interactions of these events' calls found
-- again from the calls rows (refresh_interactions, R__projections.sql).
SELECT refresh_interactions(CAST(:#${exchangeProperty.group.idArray} AS uuid[]),
                            CAST(:#${exchangeProperty.group.receivedFrom} AS timestamptz),
                            CAST(:#${exchangeProperty.group.receivedTo} AS timestamptz))
