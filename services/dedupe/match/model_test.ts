import assert from "node:assert/strict";
import fc from "fast-check";
import { fitModel, type FsModel, matchProbability } from "./model.ts";

const prior = (): FsModel => ({
  lambda: 0.01,
  comparisons: [{ m: [0.9, 0.1], u: [0.05, 0.95] }, { m: [0.8, 0.2], u: [0.01, 0.99] }],
  iterations: 0,
  converged: true,
});
const none = { patterns: [], counts: [] };

Deno.test("matchProbability() D3: a posterior in [0, 1]; a missing field counts for nothing", () => {
  const m = prior();
  assert.ok(matchProbability(m, [0, 0]) > 0.9);
  assert.ok(matchProbability(m, [1, 1]) < 0.001);
  assert.equal(matchProbability(m, [-1, -1]).toFixed(6), (0.01).toFixed(6), "no evidence: the prior");
});

Deno.test("fitModel() D3: u from random pairs, m and λ from candidates; without data, the prior", () => {
  const empty = fitModel(none, { prior: prior(), random: none, totalPairs: 0 });
  assert.deepEqual(empty.comparisons.map((c) => c.m.map((x) => +x.toFixed(6))), [[0.9, 0.1], [0.8, 0.2]]);
  // 1,000 records: 100 duplicate pairs that agree on both fields among 900 candidates that agree on
  // neither; random pairs agree on the first field 10 % of the time.
  const fitted = fitModel(
    { patterns: [Int8Array.of(0, 0), Int8Array.of(1, 1)], counts: [100, 900] },
    {
      prior: prior(),
      random: { patterns: [Int8Array.of(0, 1), Int8Array.of(1, 1)], counts: [1_000, 9_000] },
      totalPairs: 499_500,
      lambdaPrior: 2e-4,
    },
  );
  assert.ok(Math.abs(fitted.comparisons[0]!.u[0]! - 0.1) < 0.01, `u ${fitted.comparisons[0]!.u}`);
  assert.ok(fitted.comparisons[0]!.m[0]! > 0.95, `m ${fitted.comparisons[0]!.m}`);
  assert.ok(fitted.lambda > 1e-4 && fitted.lambda < 3e-4, `λ ${fitted.lambda} ≈ 100 / 499,500`);
  assert.ok(fitted.converged);
});

Deno.test("fitModel() property: m and u stay distributions and the posterior a probability", () => {
  const pattern = fc.tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 })).map(([a, b]) =>
    Int8Array.of(a, b)
  );
  const counts = fc.array(fc.tuple(pattern, fc.integer({ min: 1, max: 50 })), { maxLength: 8 }).map((rows) => ({
    patterns: rows.map((r) => r[0]),
    counts: rows.map((r) => r[1]),
  }));
  fc.assert(
    fc.property(counts, counts, fc.integer({ min: 1, max: 1e6 }), (cand, random, totalPairs) => {
      const model = fitModel(cand, { prior: prior(), random, totalPairs });
      for (const c of model.comparisons) {
        for (const xs of [c.m, c.u]) {
          assert.ok(xs.every((x) => x > 0 && x <= 1));
          assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) - 1) < 1e-3);
        }
      }
      for (const a of [-1, 0, 1]) {
        for (const b of [-1, 0, 1]) {
          const p = matchProbability(model, [a, b]);
          assert.ok(p >= 0 && p <= 1 && !Number.isNaN(p));
        }
      }
    }),
    { numRuns: 200 },
  );
});
