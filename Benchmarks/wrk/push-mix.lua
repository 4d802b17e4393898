-- The issue's mix against a running PUSH server: every connection is a device polling getrequest and posting a
-- small rtlog batch in turn, pausing PAUSE_MS before each request. With wrk -c 1000 and PAUSE_MS=1000 that is about
-- 500 getrequest/s and 500 rtlog POSTs/s x RECORDS (4) = 2,000 records/s from 1,000 devices (D00000..D00999).
local devices = tonumber(os.getenv("DEVICES") or "1000")
local pause = tonumber(os.getenv("PAUSE_MS") or "1000")
local records = tonumber(os.getenv("RECORDS") or "4")
local mode = os.getenv("MODE") or "mix"   -- mix | poll | rtlog
-- Record indexes are unique per run (the server deduplicates replays on serial + index + time).
local run = tonumber(os.getenv("RUN") or tostring(os.time() % 100000))
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  thread:set("nthreads", 0)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  posts = 0
  polls = 0
  errors = 0
  math.randomseed(os.time() + id * 7919)
end

-- Jittered (0.5x..1.5x) so 1,000 devices do not poll in lock-step waves, as real devices do not.
function delay()
  if pause == 0 then return 0 end
  return math.floor(pause * (0.5 + math.random()))
end

function request()
  counter = counter + 1
  local share = math.floor(devices / 2)
  local device = id + 2 * (math.floor(counter / 2) % share)
  local serial = string.format("D%05d", device)
  local post = (mode == "rtlog") or (mode == "mix" and counter % 2 == 0)
  if not post then
    polls = polls + 1
    return wrk.format("GET", "/iclock/getrequest?SN=" .. serial, { ["User-Agent"] = "iClock Proxy/1.09" })
  end
  posts = posts + 1
  local lines = {}
  for r = 1, records do
    local index = string.format("%d%d%07d%03d", run, id, counter, r)
    lines[r] = "time=2024-05-01 10:00:00\tpin=1\tcardno=123\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=" .. index
  end
  return wrk.format("POST", "/iclock/cdata?SN=" .. serial .. "&table=rtlog",
    { ["User-Agent"] = "iClock Proxy/1.09", ["Content-Type"] = "text/plain" }, table.concat(lines, "\n"))
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local p, q, e = 0, 0, 0
  for _, thread in ipairs(threads) do
    p = p + thread:get("posts")
    q = q + thread:get("polls")
    e = e + thread:get("errors")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("generated: %d getrequest (%.0f/s), %d rtlog POSTs (%.0f/s) = %d records (%.0f/s); non-200: %d; socket errors: connect %d read %d write %d timeout %d\n",
    q, q / seconds, p, p / seconds, p * records, p * records / seconds, e,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("completed requests: %d\n", summary.requests))
  io.write(string.format("latency us: p50 %d p90 %d p99 %d p99.9 %d max %d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
