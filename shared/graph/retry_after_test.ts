import assert from "node:assert/strict";
import { retryAfterMsFrom } from "./errors.ts";

const headers = (h: Record<string, string>) => (name: string) => h[name];

Deno.test("retryAfterMsFrom() reads Retry-After as whole seconds or an HTTP-date, and nothing else", () => {
  assert.equal(retryAfterMsFrom(headers({ "retry-after": "3" })), 3_000);
  assert.equal(retryAfterMsFrom(headers({ "retry-after": " 1 " })), 1_000);
  const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
  const fromDate = retryAfterMsFrom(headers({ "retry-after": inTwoSeconds }))!;
  assert.ok(fromDate > 0 && fromDate <= 2_000, `HTTP-date gives ${fromDate} ms`);
  assert.equal(retryAfterMsFrom(headers({})), undefined);
  assert.equal(retryAfterMsFrom(headers({ "retry-after": "soon" })), undefined);
  assert.equal(retryAfterMsFrom(headers({ "retry-after": "1.5" })), undefined, "not a delay-seconds value");
  assert.equal(
    retryAfterMsFrom(headers({ "x-ms-emulator-retry-after-ms": "20" })),
    undefined,
    "no private header is read: real Graph never sends one",
  );
});
