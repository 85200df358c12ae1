-- Password sign-in for wrk: every POST /interaction/<uid>/login takes its own prepared interaction
-- (uid and cookie, one per line "uid<TAB>cookie" in the file of the first script argument; bench
-- /lib/interactions.ts prepares them with GET /oidc/auth). Thread `tid` of THREADS takes every
-- THREADS-th line; past its share it starts again (a repeated POST is still a full sign-in,
-- counted in `reused`). A 303 to /oidc/auth/<uid> resumed the authorization; any other 303 is a
-- failed sign-in (an error page).
COUNTERS = { "resumed", "failed", "reused", "unavailable" }
resumed, failed, reused, unavailable = 0, 0, 0, 0
local items, index = {}, 0

function init(args)
  local n = 0
  for line in io.lines(args[1]) do
    if n % THREADS == tid then
      local uid, cookie = line:match("^([^\t]+)\t(.*)$")
      table.insert(items, { path = "/interaction/" .. uid .. "/login", cookie = cookie })
    end
    n = n + 1
  end
  assert(#items > 0, "no interactions for thread " .. tid)
end

function request()
  index = index + 1
  if index > #items then reused = reused + 1 end
  local it = items[(index - 1) % #items + 1]
  return wrk.format("POST", it.path, { ["Cookie"] = it.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, BODY)
end

function response(status, headers, body)
  if status == 503 then
    unavailable = unavailable + 1
  elseif status == 303 then
    local location = headers["location"] or headers["Location"] or ""
    if location:find("/oidc/auth/", 1, true) then resumed = resumed + 1 else failed = failed + 1 end
  end
end
