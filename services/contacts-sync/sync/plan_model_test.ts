// Model-based test of the engine (vdirsyncer's SyncMachine, in fast-check): random creates, edits,
// deletes, archives and flag changes on both sides, random failed writes and id changes, interleaved
// with syncs; then sync until no work and compare both sides with the model.
import assert from "node:assert/strict";
import type { ContactsDirection } from "@app/shared/contract";
import { AppError, RetryableError, UpstreamError } from "@app/shared/errors";
import fc from "fast-check";
import { crmIdStampOf } from "./graph_mapping.ts";
import { harness, USER } from "./_test_harness.ts";

type Field = "givenName" | "jobTitle" | "company" | "email";
type Op =
  | { op: "crmCreate"; given: string }
  | { op: "outlookCreate"; given: string }
  | { op: "crmEdit"; pick: number; field: Field; value: string }
  | { op: "outlookEdit"; pick: number; field: Field; value: string }
  | { op: "outlookDelete"; pick: number }
  | { op: "crmArchive"; pick: number }
  | { op: "crmUnflag"; pick: number }
  | { op: "crmDelete"; pick: number }
  | { op: "changeIdAndResync"; pick: number }
  | { op: "faults"; rate: number; seed: number }
  | { op: "sync" };

const value = fc.constantFrom("a", "b", "c", "");
const field = fc.constantFrom<Field>("givenName", "jobTitle", "company", "email");
const pick = fc.nat(50);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("crmCreate" as const), given: value }),
  fc.record({ op: fc.constant("outlookCreate" as const), given: value }),
  fc.record({ op: fc.constant("crmEdit" as const), pick, field, value }),
  fc.record({ op: fc.constant("outlookEdit" as const), pick, field, value }),
  fc.record({ op: fc.constant("outlookDelete" as const), pick }),
  fc.record({ op: fc.constant("crmArchive" as const), pick }),
  fc.record({ op: fc.constant("crmUnflag" as const), pick }),
  fc.record({ op: fc.constant("crmDelete" as const), pick }),
  fc.record({ op: fc.constant("changeIdAndResync" as const), pick }),
  fc.record({ op: fc.constant("faults" as const), rate: fc.constantFrom(0, 0.2, 0.5), seed: fc.nat() }),
  { arbitrary: fc.constant({ op: "sync" as const }), weight: 3 },
);

interface Identity {
  inScope: boolean;
  /** Lives only in Outlook (one-way mode never imports). */
  outlookOnly: boolean;
  edits: Map<Field, { crm?: string; outlook?: string }>;
  initial: Record<Field, string>;
}

async function runModel(direction: ContactsDirection, ops: Op[]): Promise<void> {
  const h = harness({ direction, confirmed: true });
  const model = new Map<string, Identity>();
  // Outlook deletes seen only through a complete listing (after a 410) cannot be told from a lost id:
  // the engine re-creates rather than archives by omission (C8), so either outcome is right for them.
  const unknown = new Set<string>();
  const deletedSinceSync = new Set<string>();
  let resyncPending = false;
  let n = 0;
  let random = mulberry32(1);
  let rate = 0;
  h.graph.fault = (op) => {
    if (op === "read" || op === "find" || random() >= rate) return undefined;
    return random() < 0.5
      ? { kind: "throttled", retryAfterMs: 1_000, message: "429" }
      : { kind: "failed", status: 500, message: "500" };
  };
  h.crm.fault = (op) => {
    if (op === "list" || op === "get" || random() >= rate) return undefined;
    return random() < 0.5 ? new RetryableError("busy", 1_000) : new UpstreamError("crm_failed", "500");
  };
  const tagOf = (s: { familyName?: string | null; surname?: string | null }) => s.familyName ?? s.surname ?? "";
  const crmPick = (i: number) => {
    const all = h.crm.all();
    return all.length ? all[i % all.length] : undefined;
  };
  const outPick = (i: number) => {
    const all = h.graph.all();
    return all.length ? all[i % all.length] : undefined;
  };
  const edit = (tag: string, f: Field, side: "crm" | "outlook", v: string) => {
    const id = model.get(tag);
    if (!id) return;
    id.edits.set(f, { ...id.edits.get(f), [side]: v });
  };
  const sync = async () => {
    try {
      if ((await h.run()).status === "completed") {
        resyncPending = false;
        deletedSinceSync.clear();
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  };

  for (const o of ops) {
    switch (o.op) {
      case "crmCreate": {
        const tag = `K${n++}`;
        h.addCrm({ familyName: tag, givenName: o.given });
        model.set(tag, { inScope: true, outlookOnly: false, edits: new Map(), initial: initial(o.given) });
        break;
      }
      case "outlookCreate": {
        const tag = `K${n++}`;
        h.addOutlook({ surname: tag, givenName: o.given });
        model.set(tag, {
          inScope: direction === "two-way",
          outlookOnly: direction !== "two-way",
          edits: new Map(),
          initial: initial(o.given),
        });
        break;
      }
      case "crmEdit": {
        const c = crmPick(o.pick);
        if (!c) break;
        const tag = tagOf(c);
        if (o.field === "email") {
          h.crm.edit(c.id, { emails: o.value ? [{ address: `${tag}-${o.value}@x.example`, kind: "work" }] : [] });
        } else h.crm.edit(c.id, { [o.field]: o.value });
        edit(tag, o.field, "crm", o.value);
        break;
      }
      case "outlookEdit": {
        const g = outPick(o.pick);
        if (!g) break;
        const tag = tagOf(g);
        if (o.field === "email") {
          h.graph.userUpdate(g.id, { emailAddresses: o.value ? [{ address: `${tag}-${o.value}@x.example` }] : [] });
        } else h.graph.userUpdate(g.id, { [o.field === "company" ? "companyName" : o.field]: o.value });
        edit(tag, o.field, "outlook", o.value);
        break;
      }
      case "outlookDelete": {
        const g = outPick(o.pick);
        if (!g) break;
        h.graph.userDelete(g.id);
        if (resyncPending) unknown.add(tagOf(g));
        deletedSinceSync.add(tagOf(g));
        const id = model.get(tagOf(g))!;
        // C5: two-way archives in the CRM; C4: one-way re-creates, unless it only ever lived in Outlook.
        if (direction === "two-way" || id.outlookOnly) model.delete(tagOf(g));
        break;
      }
      case "crmArchive":
      case "crmUnflag":
      case "crmDelete": {
        const c = crmPick(o.pick);
        if (!c) break;
        if (o.op === "crmArchive") h.crm.setArchived(c.id, true);
        else if (o.op === "crmUnflag") h.crm.setFlag(c.id, USER, false);
        else h.crm.remove(c.id);
        const id = model.get(tagOf(c));
        if (id) id.inScope = false;
        break;
      }
      case "changeIdAndResync": {
        const g = outPick(o.pick);
        if (!g) break;
        // Known limit: an id change before our stamp reached the contact is found again by content only.
        if (crmIdStampOf(g) === undefined) unknown.add(tagOf(g));
        h.graph.changeId(g.id);
        h.graph.expireCursors();
        resyncPending = true;
        for (const t of deletedSinceSync) unknown.add(t);
        break;
      }
      case "faults":
        random = mulberry32(o.seed);
        rate = o.rate;
        break;
      case "sync":
        await sync();
        break;
    }
  }

  rate = 0;
  let converged = false;
  for (let i = 0; i < 6 && !converged; i++) {
    const r = await h.run();
    assert.deepEqual(r.failures, []);
    converged = Object.keys(r.planned).length === 0 && r.plan.pairs.length === 0;
  }
  assert.ok(converged, "sync reaches a state with no work");

  const known = (t: string) => !unknown.has(t);
  const expectedCrm = [...model].filter(([, id]) => id.inScope && !id.outlookOnly).map(([t]) => t).filter(known).sort();
  const expectedOutlook = [...model].filter(([, id]) => id.inScope || id.outlookOnly).map(([t]) => t).filter(known)
    .sort();
  const crmTags = h.crm.all().map(tagOf).filter(known);
  const outTags = h.graph.all().map(tagOf).filter(known);
  assert.equal(new Set(crmTags).size, crmTags.length, "no duplicate in the CRM");
  assert.equal(new Set(outTags).size, outTags.length, "no duplicate in Outlook");
  const inScope = h.crm.all().filter((c) => !c.archived && c.syncUserIds.includes(USER)).map(tagOf).filter(known)
    .sort();
  assert.deepEqual(inScope, expectedCrm, "CRM scope equals the model: nothing archived or lost that it keeps");
  assert.deepEqual(outTags.sort(), expectedOutlook, "Outlook folder equals the model");
  await h.assertInStep();

  // A field changed on one side only ends with that side's last value (C9; one-way: the CRM's).
  for (const c of h.crm.all()) {
    const id = model.get(tagOf(c));
    if (!id?.inScope || !known(tagOf(c))) continue;
    for (const [f, e] of id.edits) {
      // One-way: Outlook edits never reach the CRM (C4).
      const expected: string | undefined = direction === "two-way"
        ? (e.outlook === undefined ? e.crm : e.crm === undefined ? e.outlook : undefined)
        : e.crm ?? id.initial[f];
      if (expected === undefined) continue;
      const actual = f === "email" ? (c.emails[0]?.address.split("-").at(-1)?.split("@")[0] ?? "") : c[f];
      assert.equal(actual, expected, `${tagOf(c)}.${f}`);
    }
  }
}

Deno.test("runContactSync() model test: two-way random edits, deletes and failed writes converge to the model (C2-C9, P6)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40, size: "max" }), (ops) => runModel("two-way", ops)),
    {
      numRuns: 500,
    },
  );
});

Deno.test("runContactSync() model test: one-way random edits, deletes and failed writes converge to the model (C4)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(opArb, { minLength: 5, maxLength: 40, size: "max" }),
      (ops) => runModel("crm-to-outlook", ops),
    ),
    {
      numRuns: 400,
    },
  );
});

function initial(given: string): Record<Field, string> {
  return { givenName: given, jobTitle: "", company: "", email: "" };
}

/** A small seeded PRNG so that injected faults replay with the counterexample. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
