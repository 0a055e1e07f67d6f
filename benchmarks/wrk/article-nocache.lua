-- One article page with a unique parameter per request, so none is answered from the output cache.
-- wrk -t2 -c32 -d20s -s benchmarks/wrk/article-nocache.lua http://127.0.0.1:5080 -- /a/<id>
local path, n = "/", 0
function init(args)
  path = args[1] or path
  n = math.random(0, 100000) * 1000
end
function request()
  n = n + 1
  return wrk.format("GET", path .. "?n=" .. n)
end
