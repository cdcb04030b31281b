-- serve_bench.lua — wrk script of bench/serve_bench.sh: each request a random line of a
-- file (args[1]; "-": wrk's own URL every time) after a prefix (args[2]), and a
-- machine-readable summary: RESULT requests/s p50_ms p99_ms max_ms errors requests.
local paths = {}
local prefix = ""

function init(args)
  prefix = args[2] or ""
  if args[1] and args[1] ~= "-" then
    for line in io.lines(args[1]) do
      if line ~= "" then paths[#paths + 1] = prefix .. line end
    end
  end
  math.randomseed(math.floor(os.clock() * 1e6) + os.time())
end

function request()
  if #paths == 0 then return wrk.format(nil) end
  return wrk.format(nil, paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.requests))
end
