-- The Codewars POST that both servers receive in the benchmark: ~200 bytes, or
-- padded to BENCH_BODY_BYTES bytes of JSON; BENCH_CLOSE=1 asks for a new
-- connection per request (Connection: close); BENCH_DELAY_MS paces the load (below).
wrk.method = "POST"
wrk.path = "/codewars/hook"
wrk.headers["User-Agent"] = "Codewars Hookbot"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Webhook-Event"] = "code_challenge"
wrk.headers["X-Webhook-Secret"] = "some-shared-secret"
if os.getenv("BENCH_CLOSE") == "1" then
    wrk.headers["Connection"] = "close"
end
local small = '{"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}}'
local size = tonumber(os.getenv("BENCH_BODY_BYTES") or "0")
if size > #small then
    local head = '{"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002","description":"'
    local tail = '"}}'
    wrk.body = head .. string.rep("x", size - #head - #tail) .. tail
else
    wrk.body = small
end

-- BENCH_DELAY_MS paces each connection: that many milliseconds between an answer
-- and its next request, so that a run offers a load below what the servers can
-- take instead of as much as they answer.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
    function delay()
        return pause
    end
end
