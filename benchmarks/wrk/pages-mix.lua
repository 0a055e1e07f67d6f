-- Home pages 1-400 and the articles listed on them, so most requests miss the output cache.
-- wrk -t2 -c32 -d20s -s benchmarks/wrk/pages-mix.lua http://127.0.0.1:5080 [-- nocache]
-- "nocache" adds a unique parameter to every request, so none is answered from the output cache.
local n = 0
local nocache = false
function init(args)
  nocache = args[1] == "nocache"
  n = math.random(0, 100000) * 1000
end
function request()
  n = n + 1
  local nonce = nocache and ("&n=" .. n) or ""
  return wrk.format("GET", "/?page=" .. ((n % 399) + 1) .. nonce)
end
