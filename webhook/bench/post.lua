-- POSTs one AdmissionReview over a keep-alive connection; with RATE set (requests per second for the
-- whole run) each connection waits between requests, so the load is offered at a fixed rate.
local body_file = os.getenv("REVIEW")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")

function delay()
  if rate > 0 then
    return math.floor(1000 * connections / rate)
  end
  return 0
end

-- Globals, so done() (run in the main script state) can read each thread's counts with thread:get().
non200, denied, warned = 0, 0, 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  elseif body:find('"allowed":false', 1, true) then
    denied = denied + 1
  elseif body:find('"warnings"', 1, true) then
    warned = warned + 1
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  non200, denied, warned = 0, 0, 0
  for _, t in ipairs(threads) do
    non200 = non200 + t:get("non200")
    denied = denied + t:get("denied")
    warned = warned + t:get("warned")
  end
  io.write(string.format("RESULT rps=%.0f p50=%.3f p99=%.3f p999=%.3f requests=%d errors=%d non200=%d denied=%d warned=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status, non200, denied, warned))
end
