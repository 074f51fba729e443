// The applier on its own, with in-memory executors and links (no I/O): intent rows go just before
// their pair's first remote write, and a plan stopped at a chunk's deadline is finished by later
// chunks that go on where it stopped — every remote action once, half-done pairs completed (P8).
import assert from "node:assert/strict";
import { type ApplyOptions, applyPlan, PlanApplication } from "./apply.ts";
import type { ActionExecutor, EngineAction, EngineLink, ItemResult, KindPlan, PairOutcome, PairPlan } from "./kind.ts";

interface Link extends EngineLink {
  state: string;
  values?: readonly unknown[];
}
interface Action extends EngineAction {
  kind: "createInCrm" | "stampInGraph";
  key: string;
}

const NOW = "2026-11-29T10:00:00.000Z";
const link = (id: string, state: string): Link => ({ id, state, lastError: null, attempts: [], updatedAt: NOW });

/** Pairs `p0…`: each creates in the CRM, every third also stamps in Graph afterwards. */
function plan(n: number): KindPlan<Link, Action> {
  const pairs: PairPlan<Link, Action>[] = Array.from({ length: n }, (_, i) => {
    const key = `p${i}`;
    const actions: Action[] = [{ kind: "createInCrm", key }];
    if (i % 3 === 0) actions.push({ kind: "stampInGraph", key });
    return { key, before: undefined, pre: link(key, "intent"), actions, after: link(key, "synced"), onFailure: null };
  });
  return { pairs, removals: { inOutlook: 0, inCrm: 0 } };
}

/** A world that logs every write in order; `failKeys` fail their CRM create. */
function world(failKeys: Readonly<Set<string>> = new Set()) {
  const log: string[] = [];
  const rows = new Map<string, Link>();
  const executor = (kind: Action["kind"], side: "crm" | "outlook", batchSize: number): ActionExecutor<Action> => ({
    side,
    batchSize,
    run: (items) => {
      log.push(`${kind}:${items.map((x) => x.action.key).join(",")}`);
      return Promise.resolve(items.map((x): ItemResult => {
        if (kind === "createInCrm" && failKeys.has(x.action.key)) {
          return { ok: false, error: { kind: "failed", message: `no ${x.action.key}` } };
        }
        // A stamp needs the id the pair's create returned.
        if (kind === "stampInGraph") assert.equal(x.earlier[0], `crm-${x.action.key}`);
        return { ok: true, value: `${kind === "createInCrm" ? "crm" : "graph"}-${x.action.key}` };
      }));
    },
  });
  const run: ApplyOptions<Link, Action>["run"] = {
    executors: {
      order: ["createInCrm", "stampInGraph"],
      byKind: { createInCrm: executor("createInCrm", "crm", 2), stampInGraph: executor("stampInGraph", "outlook", 20) },
    },
    links: {
      upsertMany: (list) => {
        log.push(`rows:${list.map((r) => `${r.id}=${r.state}`).join(",")}`);
        for (const r of list) rows.set(r.id, r);
        return Promise.resolve();
      },
      delete: (key) => {
        rows.delete(key);
        return Promise.resolve();
      },
    },
    settle: (pair: PairPlan<Link, Action>, outcome: PairOutcome<Action>) =>
      outcome.status === "done"
        ? { ...pair.after!, values: outcome.values }
        : outcome.status === "deferred"
        ? { ...pair.pre!, state: "half", values: outcome.values }
        : { ...pair.pre!, state: "failed" },
  };
  return { log, rows, run };
}

const options = (run: ApplyOptions<Link, Action>["run"], extra: Partial<ApplyOptions<Link, Action>> = {}) => ({
  run,
  now: () => NOW,
  sleep: () => Promise.resolve(),
  ...extra,
});

Deno.test("P8 apply: a pair's intent row is stored just before its first remote write, not all rows up front", async () => {
  const w = world();
  const r = await applyPlan(plan(4), options(w.run));
  assert.equal(r.partial, false);
  assert.deepEqual(w.log.slice(0, 4), [
    "rows:p0=intent,p1=intent",
    "createInCrm:p0,p1",
    "rows:p1=synced", // p0 still has its stamp to do
    "rows:p2=intent,p3=intent",
  ]);
  assert.deepEqual([...w.rows.values()].map((x) => x.state), ["synced", "synced", "synced", "synced"]);
});

Deno.test("P8 apply: chunks stopped at their deadline go on where the last stopped; every action once, half-done pairs finished", async () => {
  const w = world(new Set(["p4"]));
  const p = plan(9);
  const application = new PlanApplication(p, w.run.executors);
  const results = [];
  // A deadline already passed: each chunk writes exactly one batch, then stops.
  for (let chunk = 0; chunk < 20; chunk++) {
    const r = await applyPlan(p, options(w.run, { deadline: 0 }), application);
    results.push(r);
    if (!r.partial) break;
  }
  const writes = w.log.filter((l) => !l.startsWith("rows:"));
  assert.deepEqual(writes, [
    "createInCrm:p0,p1",
    "createInCrm:p2,p3",
    "createInCrm:p4,p5",
    "createInCrm:p6,p7",
    "createInCrm:p8",
    "stampInGraph:p0,p3,p6", // each once, with the id its create returned in an earlier chunk
  ]);
  assert.equal(results.at(-1)!.partial, false);
  assert.equal(application.finished, true);
  // The half-done pairs were kept as such (once, not again by every later chunk), then finished.
  assert.equal(w.log.filter((l) => l.includes("p0=half")).length, 1, w.log.join(" | "));
  assert.equal(w.rows.get("p0")!.state, "synced");
  assert.deepEqual(w.rows.get("p0")!.values, ["crm-p0", "graph-p0"]);
  assert.equal(w.rows.get("p4")!.state, "failed");
  // A failure is reported by the chunk it happened in, once.
  assert.deepEqual(results.flatMap((r) => r.failures.map((f) => f.key)), ["p4"]);
  assert.deepEqual(application.progress, { planned: 12, done: 11, failed: 1 });
  const done = results.reduce((n, r) => n + (r.done.createInCrm ?? 0), 0);
  assert.equal(done, 8, "every pair but the failed one counted done once");
});

Deno.test("P8 apply: a chunk stopped by its signal leaves untouched pairs without intent rows", async () => {
  const w = world();
  const abort = new AbortController();
  abort.abort();
  const r = await applyPlan(plan(6), options(w.run, { signal: abort.signal }));
  assert.equal(r.partial, true);
  assert.deepEqual(w.log, [], "nothing written: no row, no remote write");
  assert.equal(r.application.finished, false);
});

Deno.test("P8 apply: a pair with nothing to do (its row as it was, or none) is not rewritten", async () => {
  const w = world();
  const kept = link("k", "synced");
  const idle: KindPlan<Link, Action> = {
    pairs: [
      { key: "k", before: kept, pre: undefined, actions: [], after: kept, onFailure: kept },
      { key: "none", before: undefined, pre: undefined, actions: [], after: null, onFailure: null },
      { key: "moved", before: kept, pre: undefined, actions: [], after: { ...kept, state: "moved" }, onFailure: kept },
    ],
    removals: { inOutlook: 0, inCrm: 0 },
  };
  await applyPlan(idle, options(w.run));
  assert.deepEqual(w.log, ["rows:k=moved"], "only the pair whose row changed is written");
});
