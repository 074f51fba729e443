import assert from "node:assert/strict";
import fc from "fast-check";
import { groupPairs, type PairJudge, type ScoredPair } from "./grouping.ts";

const judgeFrom = (p: Record<string, number>, different: string[] = []): PairJudge => (i, j) => {
  const key = `${i}:${j}`;
  return { p: p[key] ?? 0, differentPerson: different.includes(key), contradicts: (p[key] ?? 0) < 0.5 };
};

Deno.test("groupPairs() D1: a chain A~B, B~C where A is clearly not C is not merged blindly", () => {
  const pairs: ScoredPair[] = [{ i: 0, j: 1, p: 0.99 }, { i: 1, j: 2, p: 0.95 }];
  const groups = groupPairs(pairs, judgeFrom({ "0:1": 0.99, "1:2": 0.95, "0:2": 0.01 }), {
    threshold: 0.9,
    linkFloor: 0.5,
  });
  assert.deepEqual(groups, [[0, 1]]);
});

Deno.test("groupPairs() D3: a record like two members of a household is proposed with neither", () => {
  // 1 has no given name and shares the household's e-mail with 0 (Marco) and 2 (Giulia).
  const pairs: ScoredPair[] = [{ i: 0, j: 1, p: 0.99 }, { i: 1, j: 2, p: 0.98 }];
  const groups = groupPairs(pairs, judgeFrom({ "0:1": 0.99, "1:2": 0.98, "0:2": 0.9 }, ["0:2"]), {
    threshold: 0.9,
    linkFloor: 0.5,
  });
  assert.deepEqual(groups, []);
});

Deno.test("groupPairs() D1: thin but uncontradicted pairs do not keep a duplicate out of its group", () => {
  const pairs: ScoredPair[] = [{ i: 0, j: 1, p: 0.99 }, { i: 1, j: 2, p: 0.99 }];
  const judge: PairJudge = (i, j) => ({
    p: i === 0 && j === 2 ? 0.3 : 0.99,
    differentPerson: false,
    contradicts: false,
  });
  assert.deepEqual(groupPairs(pairs, judge, { threshold: 0.9, linkFloor: 0.5 }), [[0, 1, 2]]);
});

Deno.test("groupPairs() property: groups are disjoint, hold no different-person pair, and ignore input order", () => {
  const arb = fc.array(fc.record({ i: fc.nat(7), j: fc.nat(7), p: fc.double({ min: 0, max: 1, noNaN: true }) }), {
    maxLength: 20,
  }).map((ps) => {
    const seen = new Map<string, ScoredPair>();
    for (const p of ps) {
      if (p.i === p.j) continue;
      const [i, j] = p.i < p.j ? [p.i, p.j] : [p.j, p.i];
      seen.set(`${i}:${j}`, { i, j, p: p.p });
    }
    return [...seen.values()];
  });
  fc.assert(fc.property(arb, fc.nat(5), (pairs, rot) => {
    const scores = Object.fromEntries(pairs.map((p) => [`${p.i}:${p.j}`, p.p]));
    const different = pairs.filter((p) => p.p < 0.2).map((p) => `${p.i}:${p.j}`);
    const judge = judgeFrom(scores, different);
    const o = { threshold: 0.8, linkFloor: 0.5 };
    const groups = groupPairs(pairs, judge, o);
    const members = groups.flat();
    assert.equal(new Set(members).size, members.length, "disjoint");
    for (const g of groups) {
      for (const a of g) for (const b of g) if (a < b) assert.ok(!judge(a, b).differentPerson);
    }
    const shuffled = [...pairs.slice(rot % (pairs.length || 1)), ...pairs.slice(0, rot % (pairs.length || 1))];
    assert.deepEqual(groupPairs(shuffled, judge, o), groups, "input order does not matter");
  }));
});
