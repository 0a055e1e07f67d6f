-- One path under one script preference (the cookie, as a reader's browser sends it); run against a
-- server with NEWSARCHIVE_NO_OUTPUT_CACHE=1 so every request renders the page.
-- wrk -t2 -c32 -d20s -s benchmarks/wrk/script-view.lua http://127.0.0.1:5098 -- /a/<id> hant-tw
local path = "/"
function init(args)
  path = args[1] or path
  wrk.headers["Cookie"] = "script=" .. (args[2] or "original")
end
function request()
  return wrk.format("GET", path)
end
