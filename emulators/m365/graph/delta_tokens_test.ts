import assert from "node:assert/strict";
import { DeltaTokens } from "./delta_tokens.ts";
import { GraphError } from "./errors.ts";

Deno.test("delta tokens keep the last three generations and name them in SyncStateNotFound", () => {
  const tokens = new DeltaTokens(() => 3);
  const chain = tokens.start("u1", "contacts:f1");
  const issued = [1, 2, 3, 4, 5].map((n) => tokens.issue(chain, { n }));
  assert.deepEqual(tokens.resume("u1", "contacts:f1", issued[4]!).state, { n: 5 });
  assert.deepEqual(tokens.resume("u1", "contacts:f1", issued[2]!).state, { n: 3 });
  const err = (() => {
    try {
      tokens.resume("u1", "contacts:f1", issued[1]!);
    } catch (e) {
      return e as GraphError;
    }
  })();
  assert.ok(err instanceof GraphError);
  assert.equal(err.status, 410);
  assert.equal(err.message, "The sync state generation is not found; generation=2;[highest=5][5][3][4].");
});

Deno.test("delta tokens refuse another mailbox, another scope and garbage", () => {
  const tokens = new DeltaTokens(() => 3);
  const token = tokens.issue(tokens.start("u1", "contacts:f1"), {});
  assert.throws(() => tokens.resume("u2", "contacts:f1", token), /sync state generation is not found/);
  assert.throws(() => tokens.resume("u1", "contacts:f2", token), /does not belong/);
  assert.throws(() => tokens.resume("u1", "contacts:f1", "!!!"), /malformed/);
  tokens.expireAll("u1");
  assert.throws(() => tokens.resume("u1", "contacts:f1", token), /not found/);
});
