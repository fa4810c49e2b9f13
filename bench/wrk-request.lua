-- wrk script: GET /v1/requests/<random id> with the bench key.
local records = tonumber(os.getenv("BENCH_RECORDS") or "10000000")
local key = os.getenv("BENCH_API_KEY")
local path = os.getenv("BENCH_PATH") or "lookup"
math.randomseed(os.time())
request = function()
  local p = path == "lookup" and string.format("/v1/requests/req_%09d", math.random(1, records)) or path
  return wrk.format("GET", p, { ["X-API-Key"] = key })
end
