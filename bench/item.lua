-- wrk script for bench/query.sh: GET /item?id=<random 1..1000>, so requests
-- spread over every row of the fixture's items table. A path after wrk's "--"
-- replaces /item (bench/pgroute.sh: /pg, /pg-direct, /prepare).
local thread_seed = 0

function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end

function init(args)
  path = args[1] or "/item"
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  return wrk.format("GET", path .. "?id=" .. math.random(1, 1000))
end
