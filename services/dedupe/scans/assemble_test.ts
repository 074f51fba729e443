import assert from "node:assert/strict";
import { assembleReport } from "./assemble.ts";
import type { ProposedGroup } from "./report_types.ts";

const modelGroup = (ids: string[], p = 0.97): ProposedGroup => ({
  kind: "contact",
  source: "model",
  recordIds: ids,
  score: p,
  pairs: [{
    a: ids[0]!,
    b: ids[1]!,
    probability: p,
    reasons: [{ field: "email", level: "exact", weight: 12, text: "e-mail equal" }],
  }],
  fingerprints: Object.fromEntries(ids.map((id) => [id, `f-${id}`])),
});
const listed = (ids: string[]) => (id: string) => ids.includes(id) ? `f-${id}` : undefined;

Deno.test("assembleReport() D4: link evidence is proposed with probability 1 and absorbs the model's group on the same records", () => {
  const groups = assembleReport({
    kind: "contact",
    model: [modelGroup(["a", "b"]), modelGroup(["x", "y"])],
    links: [{ kind: "echo", recordIds: ["a", "c"], userIds: ["u1"], detail: "c came from Outlook as a copy of a" }],
    fingerprintOf: listed(["a", "b", "c", "x", "y"]),
    kept: [],
  });
  assert.equal(groups.length, 2);
  assert.equal(groups[0]!.source, "links");
  assert.deepEqual(groups[0]!.recordIds.sort(), ["a", "b", "c"]);
  assert.ok(groups[0]!.pairs.some((p) => p.probability === 1 && /came back from Outlook/.test(p.reasons[0]!.text)));
  assert.deepEqual(groups[1]!.recordIds, ["x", "y"]);
});

Deno.test("assembleReport() D4: evidence about records no longer listed (archived, deleted) is dropped", () => {
  const groups = assembleReport({
    kind: "contact",
    model: [],
    links: [{ kind: "same_outlook_item", recordIds: ["a", "gone"], userIds: ["u1"], detail: "one item" }],
    fingerprintOf: listed(["a"]),
    kept: [],
  });
  assert.deepEqual(groups, []);
});

Deno.test("assembleReport() D3: a kept pair stays out while both fingerprints are unchanged", () => {
  const kept = [{ kind: "contact" as const, a: "b", b: "a", fingerprintA: "f-b", fingerprintB: "f-a" }];
  const input = { kind: "contact" as const, model: [modelGroup(["a", "b"])], links: [], kept };
  assert.deepEqual(assembleReport({ ...input, fingerprintOf: listed(["a", "b"]) }), []);
  const changed = (id: string) => (id === "a" ? "f-a-new" : id === "b" ? "f-b" : undefined);
  assert.equal(assembleReport({ ...input, model: [modelGroup(["a", "b"])], fingerprintOf: changed }).length, 1);
});
