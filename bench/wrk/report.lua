-- Appended to every script bench/lib/wrk-load.ts gives wrk. Counts each thread's COUNTERS (globals a
-- scenario script increments) and writes the run's summary as one JSON object to REPORT (set by
-- the generated prelude). Latencies are in microseconds.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local parts = {}
  for _, name in ipairs(COUNTERS or {}) do
    local total = 0
    for _, thread in ipairs(threads) do
      total = total + (tonumber(thread:get(name)) or 0)
    end
    table.insert(parts, string.format('"%s":%d', name, total))
  end
  local e = summary.errors
  local out = assert(io.open(REPORT, "w"))
  out:write(string.format(
    '{"durationUs":%d,"requests":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
      '"p50Us":%d,"p99Us":%d,"maxUs":%d,"counters":{%s}}',
    summary.duration, summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ",")))
  out:close()
end
