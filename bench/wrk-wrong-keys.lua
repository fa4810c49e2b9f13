-- wrk script: GET /v1/requests/<id> with a fresh random (wrong) key on every request, as a key-guessing
-- client would send; counts the answers by status (a global: wrk reads it from each thread) and prints them.
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
statuses = {}
local threads = {}

local function randomKey()
  local chars = {}
  for i = 1, 43 do
    local n = math.random(1, #alphabet)
    chars[i] = alphabet:sub(n, n)
  end
  return "vlk_" .. table.concat(chars)
end

function setup(thread)
  table.insert(threads, thread)
end

function init()
  statuses = {}
end

request = function()
  return wrk.format("GET", "/v1/requests/req_auth_flood", { ["X-API-Key"] = randomKey() })
end

response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done()
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do totals[status] = (totals[status] or 0) + n end
  end
  for status, n in pairs(totals) do io.write(string.format("status %d: %d\n", status, n)) end
end
