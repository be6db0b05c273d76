-- wrk script: every connection waits BENCH_DELAY_MS before each request, which paces the whole run to about
-- connections * 1000 / BENCH_DELAY_MS requests per second (a little less: the response time adds to the pause).
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

function delay()
    return pause
end
