import assert from "node:assert/strict";
import { appendAttempt, type SyncAttempt } from "./link.ts";
import { chunk } from "./batch.ts";
import { deriveIdempotencyKey } from "./idempotency.ts";

Deno.test("appendAttempt() keeps only the last 3 attempts, newest last", () => {
  let attempts: SyncAttempt[] = [];
  for (let i = 0; i < 5; i++) {
    attempts = appendAttempt(attempts, { at: `t${i}`, direction: "to_crm", action: "updateInCrm", outcome: "ok" });
  }
  assert.deepEqual(attempts.map((a) => a.at), ["t2", "t3", "t4"]);
});

Deno.test("chunk() splits into batches of at most the given size", () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 20), []);
  assert.throws(() => chunk([1], 0), RangeError);
});

Deno.test("deriveIdempotencyKey() is stable, short and distinguishes its parts", async () => {
  const a = await deriveIdempotencyKey("t", "u", "x".repeat(500));
  assert.equal(a, await deriveIdempotencyKey("t", "u", "x".repeat(500)));
  assert.ok(a.length <= 200);
  assert.notEqual(await deriveIdempotencyKey("ab", "c"), await deriveIdempotencyKey("a", "bc"));
});
