import assert from "node:assert/strict";
import { Clock } from "../clock.ts";
import { Limiter, retryAfterHeaders } from "./limits.ts";

Deno.test("Limiter admits up to the window size and says exactly when the oldest request leaves", () => {
  let now = 1_000_000;
  const clock = new Clock(0.01, () => now);
  const cfg = { enabled: true, concurrency: 4, requestsPerWindow: 3, windowMs: 600_000 };
  const limiter = new Limiter(() => cfg, clock);
  for (let i = 0; i < 3; i++) {
    const r = limiter.enter("app|u");
    assert.ok("release" in r);
    r.release();
    now += 100;
  }
  const refused = limiter.enter("app|u");
  assert.ok("code" in refused);
  assert.equal(refused.code, "TooManyRequests");
  assert.equal(refused.retryAfterMs, 6_000 - 300, "window is 6 s at timeScale 0.01");
  now += refused.retryAfterMs;
  assert.ok("release" in limiter.enter("app|u"));
});

Deno.test("Retry-After rounds up to whole seconds and carries the precise wait beside it", () => {
  assert.deepEqual(retryAfterHeaders(10), { "Retry-After": "1", "x-ms-emulator-retry-after-ms": "10" });
  assert.deepEqual(retryAfterHeaders(2_001), { "Retry-After": "3", "x-ms-emulator-retry-after-ms": "2001" });
});
