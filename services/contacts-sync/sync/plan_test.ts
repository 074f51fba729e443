import assert from "node:assert/strict";
import type { Contact } from "@app/shared/contract";
import { crmFields } from "./_test_utils.ts";
import { crmContactToCanonical } from "./crm_mapping.ts";
import { canonicalToGraphContact } from "./graph_mapping.ts";
import { crmIdsToLocate, planContactSync } from "./plan.ts";
import { type ContactPlanInput, planActions } from "./plan_types.ts";
import type { ContactLink, GraphContact } from "./ports.ts";

function crmContact(id: string, familyName: string, version = 1): Contact {
  return {
    ...crmFields({ familyName }),
    id,
    tenantId: "t1",
    version,
    archived: false,
    syncUserIds: ["u1"],
    updatedAt: "2026-01-01T00:00:00Z",
  };
}

function graphOf(c: Contact, id: string, changeKey: string, stamped = false): GraphContact {
  const body = canonicalToGraphContact(crmContactToCanonical(c).canonical, c.id);
  if (!stamped) delete body.singleValueExtendedProperties;
  return { ...body, id, changeKey };
}

function linkOf(c: Contact, graphId: string, changeKey: string): ContactLink {
  return {
    id: `crm:${c.id}`,
    tenantId: "t1",
    userId: "u1",
    crmId: c.id,
    graphId,
    crmVersion: c.version,
    graphChangeKey: changeKey,
    base: crmContactToCanonical(c).canonical,
    state: "synced",
    pendingOutlook: null,
    graphStamped: true,
    lastError: null,
    attempts: [],
    warnings: [],
    updatedAt: "2026-01-01T00:00:00Z",
  };
}

function input(over: Partial<ContactPlanInput>): ContactPlanInput {
  return {
    tenantId: "t1",
    userId: "u1",
    now: "2026-01-02T00:00:00Z",
    crm: { inScope: [] },
    outlook: { complete: false, upserts: [], removedIds: [] },
    located: new Map(),
    links: [],
    settings: { direction: "two-way", conflictPolicy: "crm-wins" },
    ...over,
  };
}

const anna = crmContact("c1", "Rossi");

Deno.test("planContactSync() plans nothing when our own write comes back as an echo", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [graphOf(anna, "g1", "k1")], removedIds: [] },
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(plan.pairs, []);
});

Deno.test("planContactSync() only refreshes the row when Outlook's change key moved without a synced field changing", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [graphOf(anna, "g1", "k2")], removedIds: [] },
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(planActions(plan), []);
  assert.equal(plan.pairs[0]?.after?.graphChangeKey, "k2");
});

Deno.test("planContactSync() archives in CRM when Outlook deleted the contact (C5)", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [], removedIds: ["g1"] },
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(planActions(plan), [{ kind: "archiveInCrm", crmId: "c1" }]);
  assert.equal(plan.pairs[0]?.after, null);
  assert.deepEqual(plan.pairs[0]?.onFailure?.pendingOutlook, { removed: true });
  assert.equal(plan.destructiveCount, 1);
});

Deno.test("planContactSync() deletes in Outlook when the contact left the user's CRM scope (C5)", () => {
  const plan = planContactSync(input({
    crm: { inScope: [], outOfScope: new Map([["c1", "unflagged"]]) },
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(planActions(plan), [{ kind: "deleteInGraph", graphId: "g1", reason: "unflagged" }]);
});

Deno.test("planContactSync() re-creates in Outlook a synced contact the user deleted there in one-way mode (C4)", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [], removedIds: ["g1"] },
    links: [linkOf(anna, "g1", "k1")],
    settings: { direction: "crm-to-outlook", conflictPolicy: "crm-wins" },
  }));
  assert.deepEqual(planActions(plan).map((a) => a.kind), ["createInGraph"]);
  assert.equal(plan.pairs[0]?.pre?.state, "creating_in_graph");
});

Deno.test("planContactSync() in one-way mode lists Outlook-only contacts as not imported (C4, A9)", () => {
  const plan = planContactSync(input({
    outlook: { complete: true, upserts: [graphOf(crmContact("x", "Solo"), "g9", "k9")], removedIds: [] },
    settings: { direction: "crm-to-outlook", conflictPolicy: "crm-wins" },
  }));
  assert.deepEqual(plan.pairs, []);
  assert.deepEqual(plan.preview.notImported, ["g9"]);
});

Deno.test("planContactSync() relinks by CRM id stamp when a delta reports a move as delete plus create (C8)", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [graphOf(anna, "g2", "k2", true)], removedIds: ["g1"] },
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(planActions(plan), [{ kind: "relinkByCrmId", crmId: "c1", graphId: "g2" }]);
  assert.equal(plan.pairs[0]?.after?.graphId, "g2");
  assert.equal(plan.destructiveCount, 0);
});

Deno.test("planContactSync() relinks a contact a delta removed when the stamp lookup found it under a new id (C8)", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [graphOf(anna, "g2", "k2")], removedIds: ["g1"] },
    located: new Map([["c1", graphOf(anna, "g2", "k2", true)]]),
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(planActions(plan), [{ kind: "relinkByCrmId", crmId: "c1", graphId: "g2" }]);
  assert.equal(plan.destructiveCount, 0);
  assert.deepEqual(plan.preview.createInCrm, []);
});

Deno.test("planContactSync() adopts an Outlook contact created before a crash instead of creating it again", () => {
  const intent: ContactLink = { ...linkOf(anna, "unused", "unused"), graphId: null, graphChangeKey: null };
  intent.state = "creating_in_graph";
  const found = graphOf(anna, "g7", "k7", true);
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    links: [intent],
    located: new Map([["c1", found]]),
  }));
  assert.deepEqual(planActions(plan), [{ kind: "link", crmId: "c1", graphId: "g7" }]);
  assert.equal(plan.pairs[0]?.after?.state, "synced");
});

Deno.test("planContactSync() ignores a copy of a synced contact that carries its stamp", () => {
  const plan = planContactSync(input({
    crm: { inScope: [anna] },
    outlook: { complete: false, upserts: [graphOf(anna, "g8", "k8", true)], removedIds: [] },
    links: [linkOf(anna, "g1", "k1")],
  }));
  assert.deepEqual(plan.pairs, []);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["copy_ignored"]);
});

Deno.test("planContactSync() re-plans an Outlook change kept on the row after its write failed", () => {
  const edited = { ...crmContactToCanonical(anna).canonical, jobTitle: "Broker" };
  const link = {
    ...linkOf(anna, "g1", "k1"),
    pendingOutlook: { removed: false as const, changeKey: "k2", canonical: edited },
  };
  const plan = planContactSync(input({ crm: { inScope: [anna] }, links: [link] }));
  const update = planActions(plan).find((a) => a.kind === "updateInCrm");
  assert.equal(update?.kind === "updateInCrm" && update.fields.jobTitle, "Broker");
});

Deno.test("crmIdsToLocate() names create intents, linked contacts a delta removed and those missing from a complete listing (C8)", () => {
  const bob = crmContact("c2", "Bianchi");
  const intent = { ...linkOf(bob, "x", "x"), graphId: null, state: "creating_in_graph" as const };
  const links = [linkOf(anna, "g1", "k1"), intent];
  assert.deepEqual(crmIdsToLocate(links, { complete: false, upserts: [], removedIds: [] }), ["c2"]);
  // A delta's delete may be an id change: looked up by stamp unless the new item came with it.
  assert.deepEqual(crmIdsToLocate(links, { complete: false, upserts: [], removedIds: ["g1"] }), ["c1", "c2"]);
  assert.deepEqual(
    crmIdsToLocate(links, { complete: false, upserts: [graphOf(anna, "g2", "k2", true)], removedIds: ["g1"] }),
    ["c2"],
  );
  assert.deepEqual(crmIdsToLocate(links, { complete: true, upserts: [], removedIds: [] }), ["c1", "c2"]);
  assert.deepEqual(crmIdsToLocate(links, { complete: true, upserts: [graphOf(anna, "g1", "k1")], removedIds: [] }), [
    "c2",
  ]);
});
