-- wrk script for bench/http.sh --fleet: requests cycle through the paths listed in the file BENCH_URLS (one a
-- line), and every connection waits BENCH_DELAY_MS before each request, pacing the run as lib/paced.lua does.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local paths = {}
for line in io.lines(os.getenv("BENCH_URLS")) do
    paths[#paths + 1] = line
end
local next_path = 0

function request()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
end

function delay()
    return pause
end
