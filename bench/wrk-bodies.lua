-- wrk script: POSTs the pre-made bodies of a file (bench/SignedBodies.java), one per request, each once.
-- usage: wrk -t2 -c64 -d10s --latency -s bench/wrk-bodies.lua <url> -- <bodies file> <first line> <last line>
-- Thread k of n takes lines first+k, first+k+n, ... so no body is sent twice.
thread_count = 0
threads = {}

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  local file, first, last = args[1], tonumber(args[2]), tonumber(args[3])
  bodies = {}
  local i = 0
  local n = 0
  for line in io.lines(file) do
    if i >= first and i <= last and (i - first) % 2 == thread_index then
      n = n + 1
      bodies[n] = line
    end
    i = i + 1
  end
  next_body = 1
  exhausted = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  local body = bodies[next_body]
  if body == nil then
    exhausted = exhausted + 1
    body = bodies[1]
  else
    next_body = next_body + 1
  end
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d errors=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests / (summary.duration / 1e6)))
end
