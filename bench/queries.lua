-- wrk script: every request a different query text, so the query cache never answers.
-- Each wrk thread numbers its own requests from its own offset (threads do not share state).
local words = {"red", "green", "blue", "yellow", "small", "large", "old", "new", "bright", "dark"}
local things = {"car", "bird", "tree", "house", "dog", "boat", "flower", "street", "beach", "cat"}
counter = 0
offset = 0 -- set per thread by setup()
local threads = 0

function setup(thread)
  thread:set("offset", threads * 10000000)
  threads = threads + 1
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local n = offset + counter
  local q = "a+photo+of+a+" .. words[n % 10 + 1] .. "+" .. things[math.floor(n / 10) % 10 + 1] .. "+number+" .. n
  return wrk.format("GET", "/api/search?q=" .. q .. "&k=10")
end
