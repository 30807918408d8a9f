-- The ~200-byte Codewars POST that both servers receive in the benchmark.
wrk.method = "POST"
wrk.path = "/codewars/hook"
wrk.headers["User-Agent"] = "Codewars Hookbot"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Webhook-Event"] = "code_challenge"
wrk.headers["X-Webhook-Secret"] = "some-shared-secret"
wrk.body = '{"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}}'
