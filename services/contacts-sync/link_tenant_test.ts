// Tenant isolation of contacts-sync's link rows on real Postgres: one user id in two tenants is
// two users. A store or query that read rows by user id alone would let one tenant's run plan
// deletes of the other's links (issue 12, "Tests that let bugs through").
import assert from "node:assert/strict";
import { openDatabase } from "@app/shared/db";
import { Logger } from "@app/shared/log";
import { isolatedInfra } from "@app/shared/testing";
import { CrmContactsMemory } from "./adapters/crm_contacts_memory.ts";
import { GraphContactsMemory } from "./adapters/graph_contacts_memory.ts";
import { ContactLinkQueries } from "./adapters/link_queries.ts";
import { LinkStorePg } from "./adapters/link_store_pg.ts";
import { schema } from "./db/schema.ts";
import { crmFields } from "./sync/_test_utils.ts";
import { runContactSync } from "./sync/run.ts";

const USER = "sam";

Deno.test("link rows of one user id in two tenants stay apart: a run in one tenant never plans against the other's links", async () => {
  await using infra = await isolatedInfra("cstenant");
  const database = await openDatabase({
    url: infra.db.url,
    service: "contacts-sync",
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    logger: new Logger("contacts-sync-test", "error"),
  });
  try {
    // Each tenant's CRM numbers its contacts from the start, so CRM ids collide across tenants too.
    const world = (tenantId: string) => {
      const crm = new CrmContactsMemory(tenantId);
      const graph = new GraphContactsMemory();
      const links = new LinkStorePg(database.db, tenantId, USER, "folder-1");
      let tick = 0;
      const run = () =>
        runContactSync({
          graph,
          crm,
          links,
          now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++).toISOString(),
          sleep: () => Promise.resolve(),
        }, { tenantId, userId: USER, direction: "two-way", conflictPolicy: "crm-wins" });
      return { crm, graph, links, run };
    };
    const beta = world("beta");
    for (const name of ["Bianchi", "Berger", "Brandt"]) beta.crm.add(crmFields({ familyName: name }), [USER]);
    const betaFirst = await beta.run();
    assert.equal(betaFirst.status, "completed", betaFirst.reason);
    assert.equal(beta.graph.all().length, 3);

    const alpha = world("alpha");
    const mine = alpha.crm.add(crmFields({ familyName: "Albrecht" }), [USER]);
    const alphaFirst = await alpha.run();
    assert.equal(alphaFirst.status, "completed", alphaFirst.reason);
    assert.deepEqual(alphaFirst.planned, { createInGraph: 1 }, "alpha plans only its own contact");
    assert.equal(alphaFirst.plan.destructiveCount, 0, "nothing of beta's is deleted or archived");

    // Every read of the store sees its own tenant's rows only.
    const alphaRows = await alpha.links.list();
    assert.deepEqual(alphaRows.map((l) => [l.tenantId, l.crmId]), [["alpha", mine.id]]);
    assert.equal(await alpha.links.countSynced(), 1);
    assert.equal(await beta.links.countSynced(), 3);
    assert.deepEqual([...await alpha.links.linkedCrmIds()], [mine.id]);
    const betaRows = await beta.links.list();
    const betaCrmIds = betaRows.map((l) => l.crmId!);
    const betaGraphIds = betaRows.map((l) => l.graphId!);
    assert.ok(betaCrmIds.includes(mine.id), "the tenants' CRM ids collide, as they may");
    assert.deepEqual(
      (await alpha.links.involved({ crmIds: betaCrmIds, graphIds: betaGraphIds })).map((l) => [l.tenantId, l.crmId]),
      [["alpha", mine.id]],
    );
    const other = betaRows.find((l) => l.crmId !== mine.id)!;
    assert.equal(await alpha.links.getByCrmId(other.crmId!), undefined);
    assert.equal(await alpha.links.getByGraphId(other.graphId!), undefined);
    assert.equal((await alpha.links.getByCrmId(mine.id))?.tenantId, "alpha");
    assert.deepEqual(await alpha.links.unsynced(), []);
    await alpha.links.delete(other.id);
    assert.equal((await beta.links.list()).length, 3, "a delete in alpha leaves beta's row");

    // The read-side queries take the tenant too.
    const q = new ContactLinkQueries(database.db);
    assert.deepEqual(await q.usersLinkedTo("alpha", other.crmId!), []);
    assert.deepEqual(await q.usersLinkedTo("beta", other.crmId!), [USER]);
    assert.equal((await q.linkCounts("alpha", USER)).total, 1);
    assert.equal(await q.item("alpha", USER, other.crmId!), undefined);
    assert.equal((await q.item("alpha", USER, mine.id))?.graphId, alphaRows[0]!.graphId);
    // Echo checks (P8): another tenant's link never vouches for a version or a change key.
    assert.equal(await q.linkedVersion("alpha", USER, other.crmId!), undefined);
    assert.notEqual(await q.linkedVersion("beta", USER, other.crmId!), undefined);
    assert.equal(await q.linkedChangeKey("alpha", USER, other.graphId!), undefined);
    assert.notEqual(await q.linkedChangeKey("beta", USER, other.graphId!), undefined);

    // Both tenants' next runs find nothing to do: no row of one was touched by the other.
    for (const t of [alpha, beta]) {
      const again = await t.run();
      assert.equal(again.status, "completed", again.reason);
      assert.deepEqual(again.planned, {});
    }
    assert.equal(beta.graph.all().length, 3);
    assert.equal(alpha.graph.all().length, 1);
  } finally {
    await database.close();
  }
});
