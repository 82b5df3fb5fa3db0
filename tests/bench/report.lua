-- The benchmark's wrk script (tests/bench/common.py): prints the run's summary as one JSON line,
-- since wrk's own text report rounds its figures and mixes units.
--
-- With "-- <file>" the requests cycle through the "<host> <path>" lines of that file, each
-- thread starting at a different line; otherwise every request is wrk's URL.

local threads = 0
local requests = {}
local position = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      local host, path = line:match("^(%S+)%s+(%S+)$")
      if host then
        requests[#requests + 1] = wrk.format("GET", path, { Host = host })
      end
    end
    position = (number * 7919) % #requests
  else
    requests[1] = wrk.format()
  end
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max
  ))
end
