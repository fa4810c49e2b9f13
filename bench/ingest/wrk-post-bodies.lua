-- wrk script for bench:ingest: POSTs each pre-serialised body (BENCH_BODY_DIR/<i>.json, i < BENCH_BODY_COUNT)
-- to /v1/logs exactly once, over however many connections wrk opens (one thread), then stops. A
-- connection with no body left to send idles (a GET /health/live every 50 ms) until every POST is
-- answered. Prints "posted <202 answers> failed <other answers>" when done (and the bench then ends wrk).
local dir = os.getenv("BENCH_BODY_DIR")
local count = tonumber(os.getenv("BENCH_BODY_COUNT"))
local key = os.getenv("BENCH_API_KEY")
local bodies = {}
local sent = 0
local accepted = 0
local failed = 0

function init(args)
  for i = 1, count do
    local file = assert(io.open(dir .. "/" .. (i - 1) .. ".json", "rb"))
    bodies[i] = file:read("*a")
    file:close()
  end
end

function delay()
  if sent >= count then return 50 end
  return 0
end

local calls = 0

function request()
  calls = calls + 1
  -- wrk asks for one request more than it sends (the first is generated and dropped when a thread
  -- starts), so the first is a harmless GET, never a body.
  if calls == 1 or sent >= count then return wrk.format("GET", "/health/live") end
  sent = sent + 1
  local body = bodies[sent]
  bodies[sent] = nil
  return wrk.format("POST", "/v1/logs", { ["Content-Type"] = "application/json", ["X-API-Key"] = key }, body)
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status ~= 200 then
    failed = failed + 1
    io.stderr:write("POST /v1/logs answered " .. status .. ": " .. body .. "\n")
  end
  if accepted + failed >= count then
    -- The bench kills wrk on this line: stopping the thread does not end wrk before its -d duration.
    io.write("posted " .. accepted .. " failed " .. failed .. "\n")
    io.flush()
    wrk.thread:stop()
  end
end
