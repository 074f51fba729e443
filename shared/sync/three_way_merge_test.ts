import assert from "node:assert/strict";
import fc from "fast-check";
import { jsonEquals, mergeThreeWay } from "./three_way_merge.ts";

const base = { a: "1", b: "1", c: "1" };

Deno.test("mergeThreeWay() takes a field changed on one side only from that side (C9)", () => {
  const r = mergeThreeWay(base, { ...base, a: "crm" }, { ...base, b: "out" }, { policy: "crm-wins" });
  assert.deepEqual(r.merged, { a: "crm", b: "out", c: "1" });
  assert.deepEqual(r.conflicts, []);
  assert.equal(r.crmNeedsUpdate, true);
  assert.equal(r.outlookNeedsUpdate, true);
});

Deno.test("mergeThreeWay() accepts a field changed identically on both sides without a conflict (C9)", () => {
  const r = mergeThreeWay(base, { ...base, a: "x" }, { ...base, a: "x" }, { policy: "crm-wins" });
  assert.deepEqual(r.merged, { ...base, a: "x" });
  assert.deepEqual(r.conflicts, []);
  assert.equal(r.crmNeedsUpdate, false);
  assert.equal(r.outlookNeedsUpdate, false);
});

Deno.test("mergeThreeWay() records a field changed differently on both sides and resolves it by policy (C9)", () => {
  const crm = { ...base, a: "crm", b: "crm-b" };
  const out = { ...base, a: "out", c: "out-c" };
  const crmWins = mergeThreeWay(base, crm, out, { policy: "crm-wins" });
  assert.deepEqual(crmWins.merged, { a: "crm", b: "crm-b", c: "out-c" });
  assert.deepEqual(crmWins.conflicts, [{ field: "a", base: "1", crm: "crm", outlook: "out", winner: "crm" }]);
  const outWins = mergeThreeWay(base, crm, out, { policy: "outlook-wins" });
  assert.deepEqual(outWins.merged, { a: "out", b: "crm-b", c: "out-c" });
  assert.equal(outWins.conflicts[0]?.winner, "outlook");
});

Deno.test("mergeThreeWay() with an empty base keeps values present on one side only", () => {
  const empty = { a: "", b: "", c: "" };
  const r = mergeThreeWay(empty, { a: "x", b: "", c: "same" }, { a: "", b: "y", c: "same" }, { policy: "crm-wins" });
  assert.deepEqual(r.merged, { a: "x", b: "y", c: "same" });
  assert.deepEqual(r.conflicts, []);
});

Deno.test("mergeThreeWay() compares nested values structurally", () => {
  const b = { list: ["a"], obj: { x: 1 } };
  const r = mergeThreeWay(b, { list: ["a"], obj: { x: 1 } }, { list: ["a", "b"], obj: { x: 1 } }, {
    policy: "crm-wins",
  });
  assert.deepEqual(r.merged, { list: ["a", "b"], obj: { x: 1 } });
  assert.equal(r.crmNeedsUpdate, true);
  assert.equal(r.outlookNeedsUpdate, false);
});

Deno.test("mergeThreeWay() is a no-op when neither side changed, and symmetric under swapped policy", () => {
  const rec = fc.record({ a: fc.string(), b: fc.string(), c: fc.string() });
  fc.assert(fc.property(rec, rec, rec, (b, c, o) => {
    const same = mergeThreeWay(b, b, b, { policy: "crm-wins" });
    assert.deepEqual(same.merged, { ...b });
    const x = mergeThreeWay(b, c, o, { policy: "crm-wins" });
    const y = mergeThreeWay(b, o, c, { policy: "outlook-wins" });
    assert.deepEqual(x.merged, y.merged);
    for (const k of ["a", "b", "c"] as const) {
      assert.ok(x.merged[k] === c[k] || x.merged[k] === o[k]);
    }
  }));
});

Deno.test("jsonEquals() tells arrays from objects and compares keys", () => {
  assert.equal(jsonEquals([], {}), false);
  assert.equal(jsonEquals({ a: 1 }, { b: 1 }), false);
  assert.equal(jsonEquals({ a: [1, { b: null }] }, { a: [1, { b: null }] }), true);
  assert.equal(jsonEquals(null, {}), false);
});
