-- The rebuild to run now (rebuild_begin, R__rebuild.sql): projection, tables, event type pattern, owner, lease
-- seconds, requested by.
SELECT * FROM rebuild_begin(?, CAST(? AS text[]), ?, ?, ?, ?)
