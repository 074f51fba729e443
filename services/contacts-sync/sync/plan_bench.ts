// `deno bench services/contacts-sync/sync/plan_bench.ts`: planning must never be the bottleneck
// (architecture budget: ≥ 5,000 items planned per second per core).
import type { Contact } from "@app/shared/contract";
import { crmFields } from "./_test_utils.ts";
import { crmContactToCanonical } from "./crm_mapping.ts";
import { canonicalToGraphContact } from "./graph_mapping.ts";
import { planContactSync } from "./plan.ts";
import type { ContactLink, GraphContact } from "./ports.ts";
import type { ContactPlanInput } from "./plan_types.ts";

const N = 10_000;
const crm: Contact[] = Array.from({ length: N }, (_, i) => ({
  ...crmFields({
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    company: `Company ${i % 300}`,
    emails: [{ address: `p${i}@example.com`, kind: "work" }],
    phones: [{ number: `+49 30 ${1_000_000 + i}`, kind: "business" }],
  }),
  id: `c${i}`,
  tenantId: "t1",
  version: 1,
  archived: false,
  syncUserIds: ["u1"],
  updatedAt: "2026-01-01T00:00:00Z",
}));
const outlook: GraphContact[] = crm.map((c, i) => ({
  ...canonicalToGraphContact(crmContactToCanonical(c).canonical, c.id),
  id: `g${i}`,
  changeKey: `k${i}`,
}));
const base = (links: ContactLink[], upserts: GraphContact[]): ContactPlanInput => ({
  tenantId: "t1",
  userId: "u1",
  now: "2026-01-01T00:00:00Z",
  crm: { inScope: crm },
  outlook: { complete: links.length === 0, upserts, removedIds: [] },
  located: new Map(),
  links,
  settings: { direction: "two-way", conflictPolicy: "crm-wins" },
});
const linked: ContactLink[] = crm.map((c, i) => ({
  id: `crm:${c.id}`,
  tenantId: "t1",
  userId: "u1",
  crmId: c.id,
  graphId: `g${i}`,
  crmVersion: 2,
  graphChangeKey: `k${i}`,
  base: crmContactToCanonical(c).canonical,
  state: "synced",
  pendingOutlook: null,
  graphStamped: true,
  lastError: null,
  attempts: [],
  warnings: [],
  updatedAt: "2026-01-01T00:00:00Z",
}));

Deno.bench(`planContactSync() first sync matching ${N} contacts on both sides`, () => {
  planContactSync(base([], outlook));
});

Deno.bench(`planContactSync() ${N} linked contacts, all changed in the CRM and in Outlook`, () => {
  planContactSync(base(linked, outlook.map((g) => ({ ...g, changeKey: g.changeKey + "x" }))));
});

Deno.bench(`planContactSync() ${N} linked contacts, nothing changed`, () => {
  planContactSync(base(linked.map((l) => ({ ...l, crmVersion: 1 })), []));
});
