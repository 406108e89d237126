-- wrk script: POSTs unique, realistic Dialpad call events (plain JSON, for a service without a secret).
-- Each request gets its own call_id/event_timestamp so every one is a new row (202), never a duplicate.
-- usage: wrk -t2 -c64 -d30s --latency -s bench/wrk-ingest.lua http://127.0.0.1:8080/webhooks/dialpad
local counter = 0
thread_id = 0  -- global: wrk copies it into each thread with thread:set
local states = { "ringing", "connected", "hangup", "recording" }

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  math.randomseed(os.time() + thread_id)
  base = 6000000000000000 + thread_id * 100000000000 + math.random(0, 99999999) * 1000
end

request = function()
  counter = counter + 1
  local call_id = base + counter
  local state = states[(counter % 4) + 1]
  local ts = 1731605955966 + counter
  local body = string.format(
    '{"call_id":%d,"state":"%s","direction":"inbound","event_timestamp":%d,"date_started":%d,' ..
    '"external_number":"+15109109100","internal_number":"+15105105100","duration":null,' ..
    '"master_call_id":null,"entry_point_call_id":null,"recording_details":[],' ..
    '"contact":{"id":6480210643730432,"name":"obscure user","phone":"+15109109100","type":"local"},' ..
    '"target":{"id":5991398486736896,"name":"obscure2 user","office_id":5527348325810176,"type":"user"}}',
    call_id, state, ts, ts - 1000)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d errors_status=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests / (summary.duration / 1e6)))
end
