-- POSTs an AdmissionReview over each keep-alive connection, for run.sh and soak.sh.
--   REVIEW=file   the review to post. If it has images __IMAGE0__, __IMAGE1__... (pod-N-template.json from
--                 Reviews), each request fills them in with IMAGE_FORMAT formatted with a counter,
--                 FIRST + (counter modulo COUNT), so a run sees COUNT distinct images; otherwise the body
--                 is fixed and wrk sends it without calling Lua per request.
--   COUNT=n       distinct images, cycled (default 1)
--   FIRST=n       the first image's number (default 0)
--   TAGS=n        IMAGE_FORMAT has two numbers: the image number divided by n, and the remainder (say,
--                 repository and tag: TAGS=50 makes 50 tags of each repository)
--   LIMIT=n       stop sending after n responses (0: run for the duration; the harness then stops wrk)
--   RATE=r        requests per second for the whole run, spread over CONNECTIONS (0: as fast as possible)
-- Prints one RESULT line: req/s, latency percentiles, and the answers that were not 200, denied, or warned.
local f = assert(io.open(os.getenv("REVIEW"), "rb"))
local template = f:read("*a")
f:close()
local format = os.getenv("IMAGE_FORMAT")
local count = tonumber(os.getenv("COUNT") or "1")
local first = tonumber(os.getenv("FIRST") or "0")
local tags = tonumber(os.getenv("TAGS") or "0")
local limit = tonumber(os.getenv("LIMIT") or "0")
local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")

wrk.method = "POST"
wrk.body = template
wrk.headers["Content-Type"] = "application/json"

local function image(n)
  if tags > 0 then
    return string.format(format, math.floor(n / tags), n % tags)
  end
  return string.format(format, n)
end

local _, per_pod = template:gsub("__IMAGE%d+__", "")
if per_pod > 0 then
  local sent = 0
  function request()
    local body = template:gsub("__IMAGE(%d+)__", function(k)
      return image(first + (sent * per_pod + tonumber(k)) % count)
    end)
    sent = sent + 1
    return wrk.format(nil, nil, nil, body)
  end
end

function delay()
  if rate > 0 then
    return math.floor(1000 * connections / rate)
  end
  return 0
end

-- Globals, so done() (run in the main script state) can read each thread's counts with thread:get().
answered, non200, denied, warned = 0, 0, 0, 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    non200 = non200 + 1
  elseif body:find('"allowed":false', 1, true) then
    denied = denied + 1
    if denied <= 3 then io.stderr:write("DENIED " .. body:sub(1, 600) .. "\n") end
  elseif body:find('"warnings"', 1, true) then
    warned = warned + 1
  end
  if limit > 0 and answered >= limit then
    wrk.thread:stop()
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
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    non200, denied, warned))
end
