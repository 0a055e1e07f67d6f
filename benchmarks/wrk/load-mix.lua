-- A reader mix for the load test: home pages, articles, search pages and the JSON API.
-- Articles are read from ARTICLE_IDS (a file of permalink ids, one a line) when given.
local paths = {}
local n = 0
local queries = { "%E7%BE%8E%E5%9B%BD", "%E6%8B%9C%E7%99%BB", "%E9%81%B8%E8%88%89", "Biden", "%E5%8F%A3%E7%BD%A9", "2021%E5%B9%B4" }
function init(args)
  local ids = {}
  local f = io.open(args[1] or "", "r")
  if f then
    for line in f:lines() do ids[#ids + 1] = line end
    f:close()
  end
  for i = 1, 50 do paths[#paths + 1] = "/?page=" .. i end
  for i = 1, math.min(#ids, 400) do paths[#paths + 1] = "/a/" .. ids[i] end
  for _, q in ipairs(queries) do
    for p = 1, 5 do
      paths[#paths + 1] = "/search?q=" .. q .. "&page=" .. p
      paths[#paths + 1] = "/api/search?q=" .. q .. "&page=" .. p
    end
  end
  n = math.random(1, #paths)
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
-- wrk counts non-2xx; 404 is not expected here, so any non-2xx is reported by the script.
