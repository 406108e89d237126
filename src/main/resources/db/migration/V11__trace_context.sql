-- Tracing (docs/tracing.md): the W3C traceparent of the span that stored the event, so that processing, a separate
-- exchange that claims the row later, starts its span in the same trace. NULL when tracing is off. Nullable without a
-- default: adding it rewrites nothing, however large the table.
ALTER TABLE webhook_events ADD COLUMN traceparent text;
