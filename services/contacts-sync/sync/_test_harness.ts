// Test-only: the engine wired to the in-memory twins, with a "sync twice" check.
import assert from "node:assert/strict";
import type { ContactFields } from "@app/shared/contract";
import type { Contact as GraphContactBody } from "@microsoft/microsoft-graph-types";
import { CrmContactsMemory } from "../adapters/crm_contacts_memory.ts";
import { GraphContactsMemory } from "../adapters/graph_contacts_memory.ts";
import { LinkStoreMemory } from "../adapters/link_store_memory.ts";
import { crmFields } from "./_test_utils.ts";
import { type ContactSyncRequest, type ContactSyncSummary, runContactSync } from "./run.ts";
import { crmContactToCanonical } from "./crm_mapping.ts";
import { graphContactToCanonical } from "./graph_mapping.ts";

export const USER = "u1";

/** Twins, a fake clock and sleep, and the run entry bound to them. */
export function harness(defaults: Partial<ContactSyncRequest> = {}) {
  const graph = new GraphContactsMemory();
  const crm = new CrmContactsMemory("t1");
  const links = new LinkStoreMemory();
  const sleeps: number[] = [];
  let tick = 0;
  const deps = {
    graph,
    crm,
    links,
    now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++).toISOString(),
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
  const request: ContactSyncRequest = {
    tenantId: "t1",
    userId: USER,
    direction: "two-way",
    conflictPolicy: "crm-wins",
    ...defaults,
  };
  const run = (over: Partial<ContactSyncRequest> = {}) => runContactSync(deps, { ...request, ...over });
  return {
    graph,
    crm,
    links,
    sleeps,
    run,
    /** A CRM contact flagged for the user. */
    addCrm(over: Partial<ContactFields>, syncUserIds = [USER]) {
      return crm.add(crmFields(over), syncUserIds);
    },
    /** An Outlook contact the user made. */
    addOutlook(body: GraphContactBody) {
      return graph.userCreate(body);
    },
    /** Runs, then runs again and asserts the second run plans and writes nothing. */
    async syncTwice(over: Partial<ContactSyncRequest> = {}): Promise<ContactSyncSummary> {
      const first = await run(over);
      assert.equal(first.status, "completed", first.reason);
      assert.deepEqual(first.failures, []);
      const writes = [crm.writes, graph.writes, links.writes];
      const second = await run(over);
      assert.deepEqual(second.planned, {}, "second run plans nothing");
      assert.equal(second.plan.pairs.length, 0, "second run touches no link row");
      assert.deepEqual([crm.writes, graph.writes, links.writes], writes, "second run writes nothing");
      return first;
    },
    /** The user's in-scope CRM contacts and the Outlook folder, both in canonical form, paired by link. */
    async assertInStep() {
      const inScope = crm.all().filter((c) => !c.archived && c.syncUserIds.includes(USER));
      const folder = graph.all();
      const rows = (await links.list()).filter((l) => l.state === "synced");
      assert.equal(rows.length, inScope.length, "one link per in-scope CRM contact");
      for (const c of inScope) {
        const row = rows.find((r) => r.crmId === c.id);
        assert.ok(row, `CRM contact ${c.id} is linked`);
        const g = folder.find((x) => x.id === row.graphId);
        assert.ok(g, `linked Outlook contact ${row.graphId} exists`);
        assert.deepEqual(graphContactToCanonical(g).canonical, crmContactToCanonical(c).canonical);
      }
    },
  };
}
