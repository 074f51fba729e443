import assert from "node:assert/strict";
import { Clock } from "../clock.ts";
import { Limiter, retryAfterHeaders } from "./limits.ts";

Deno.test("Limiter admits up to the window size and says exactly when one fits again (time-scaled window)", () => {
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
  // Window 6 s at timeScale 0.01; the refusal counts too, so the 2nd request (at +100) must leave.
  assert.equal(refused.retryAfterMs, 6_000 + 100 - 300);
  now += refused.retryAfterMs;
  assert.ok("release" in limiter.enter("app|u"));
});

Deno.test("refused requests accrue against the window, and Retry-After counts them (throttling.md)", () => {
  let now = 0;
  const clock = new Clock(1, () => now);
  const cfg = { enabled: true, concurrency: 4, requestsPerWindow: 3, windowMs: 1_000 };
  const limiter = new Limiter(() => cfg, clock);
  for (const at of [0, 100, 200]) {
    now = at;
    const r = limiter.enter("app|u");
    assert.ok("release" in r);
    r.release();
  }
  now = 300;
  const first = limiter.enter("app|u");
  assert.ok("code" in first);
  assert.equal(first.retryAfterMs, 800, "the refusal itself counts: the 2nd request must leave, not only the 1st");
  now = 500; // too early
  const early = limiter.enter("app|u");
  assert.ok("code" in early);
  assert.equal(early.retryAfterMs, 700, "an early retry pushes admission out to when the 3rd leaves");
  now = 500 + early.retryAfterMs;
  assert.ok("release" in limiter.enter("app|u"), "a client that waits Retry-After out is admitted");
});

Deno.test("a request refused for concurrency also accrues against the window", () => {
  const now = 0;
  const clock = new Clock(1, () => now);
  const cfg = { enabled: true, concurrency: 1, requestsPerWindow: 2, windowMs: 1_000 };
  const limiter = new Limiter(() => cfg, clock);
  const busy = limiter.enter("app|u");
  assert.ok("release" in busy);
  const refused = limiter.enter("app|u");
  assert.ok("code" in refused && refused.code === "ApplicationThrottled");
  busy.release();
  const third = limiter.enter("app|u");
  assert.ok("code" in third && third.code === "TooManyRequests", "two requests already accrued");
});

Deno.test("Retry-After is whole seconds of scaled time, rounded up and never 0; nothing else is sent", () => {
  assert.deepEqual(retryAfterHeaders(10), { "Retry-After": "1" });
  assert.deepEqual(retryAfterHeaders(1_000), { "Retry-After": "1" });
  assert.deepEqual(retryAfterHeaders(2_001), { "Retry-After": "3" });
});
