-- wrk script for bench/coldstart.sh's database load on examples/pitchey: of
-- every 10 requests 4 GET /api/users/<1..50>, 4 GET
-- /api/users/<1..50>/pitches?limit=<1..20>, 1 GET /api/stats and 1 POST
-- /api/pitches (a write, which also drops the binding's cached reads, so the
-- reads keep reaching PostgreSQL).
local thread_seed = 0

function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local r = math.random(1, 10)
  local user = math.random(1, 50)
  if r <= 4 then
    return wrk.format("GET", "/api/users/" .. user)
  elseif r <= 8 then
    return wrk.format("GET", "/api/users/" .. user .. "/pitches?limit=" .. math.random(1, 20))
  elseif r == 9 then
    return wrk.format("GET", "/api/stats")
  end
  return wrk.format("POST", "/api/pitches", { ["content-type"] = "application/json" },
    '{"title":"bench pitch","description":"written by bench/pitchey.lua","userId":' .. user .. '}')
end
