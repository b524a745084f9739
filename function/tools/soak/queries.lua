-- wrk script for make soak: every request a different text (no query-embedding cache hits).
-- Each wrk thread gets its own id, so threads never repeat each other's queries.
local words = {"red", "blue", "green", "yellow", "circle", "square", "triangle", "bird", "tree",
  "dog", "cat", "car", "sky", "sea", "house", "small", "large", "two", "three", "striped"}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local a = words[(counter % #words) + 1]
  local b = words[(math.floor(counter / #words) % #words) + 1]
  local q = a .. "+" .. b .. "+" .. id .. "x" .. counter
  return wrk.format("GET", "/api/search?k=10&q=" .. q)
end
