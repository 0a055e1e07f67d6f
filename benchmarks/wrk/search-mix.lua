-- Cycles through the dev queries (percent-encoded) and pages 1-50 so most requests miss the output cache.
-- wrk -t2 -c32 -d20s -s benchmarks/wrk/search-mix.lua http://127.0.0.1:5080 -- /api/search [nocache]
-- "nocache" adds a unique parameter to every request, so none is answered from the output cache.
local queries = {
  "%E9%B1%BC", "%E9%9B%AA", "%E7%BE%8E%E5%9B%BD", "%E6%8B%9C%E7%99%BB", "%E9%81%B8%E8%88%89", "%E7%89%B9%E6%9C%97%E6%99%AE", "%E5%9C%8B%E5%8B%99%E9%99%A2", "%E6%96%B0%E5%86%A0%E8%82%BA%E7%82%8E", "%E7%B6%B2%E7%B5%A1%E5%AE%89%E5%85%A8", "%E4%B8%AD%E5%8D%8E%E4%BA%BA%E6%B0%91%E5%85%B1%E5%92%8C%E5%9B%BD", "Biden", "%22human%20rights%22", "election", "Apple%20%E4%B8%AD%E5%9B%BD", "%E7%BE%8E%E5%9B%BD%20%E5%88%B6%E8%A3%81", "%E9%A6%99%E6%B8%AF%20-%E5%9B%BD%E5%AE%89", "2021%E5%B9%B4", "%EF%BC%A7%EF%BC%A4%EF%BC%B0", "%E6%8B%9C%E7%99%BB%E6%94%BF", "%E5%8F%A3%E7%BD%A9" }
local path = "/api/search"
local n = 0
local nocache = false
function init(args)
  if args[1] then path = args[1] end
  nocache = args[2] == "nocache"
  n = math.random(0, 100000) * 1000
end
function request()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  local page = (math.floor(n / #queries) % 50) + 1
  local nonce = nocache and ("&n=" .. n) or ""
  return wrk.format("GET", path .. "?q=" .. q .. "&page=" .. page .. nonce)
end
