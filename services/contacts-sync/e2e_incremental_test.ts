// P8: a run touches what changed, not the whole mailbox. After the first sync, a CRM edit is
// fetched by id (one batch get) and an Outlook edit comes from the delta; neither lists the CRM.
import assert from "node:assert/strict";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

Deno.test("P8: after the first sync a CRM edit and an Outlook edit each travel without listing the CRM", async () => {
  await using w = await startContactsWorld();
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 40 }, (_, i) => ({ givenName: `I${i}`, familyName: "Incremental", syncUserIds: [USER] })),
  );
  await w.syncNow();
  const lists = async () => (await w.crmAdmin.requests({ rpc: "contactsList" })).length;
  const batchGets = async () =>
    (await w.crmAdmin.requests({ rpc: "contactsGetMany" })).map((r) => (r.body as { ids: string[] }).ids);
  const listed = await lists();
  const gets = (await batchGets()).length;

  await w.crmAdmin.updateContact(TENANT, ids[7]!, { jobTitle: "Notaio" });
  await w.settle();
  const byCrm = (await w.outlook()).filter((c) => c.jobTitle === "Notaio");
  assert.equal(byCrm.length, 1, "the CRM edit reached Outlook");
  assert.deepEqual((await batchGets()).slice(gets), [[ids[7]]], "one batch get of the one record the event named");
  await w.syncNow(); // reads the echo of our own Outlook write (no-op)
  const afterEcho = (await batchGets()).length;

  const target = (await w.outlook()).find((c) => c.givenName === "I12")!;
  await w.outlookClient().api(`/me/contactFolders/${w.folderId}/contacts/${target.id}`).patch({ jobTitle: "Perito" });
  const run = await w.syncNow();
  assert.equal(run.mode, "incremental");
  assert.equal((await w.crmAdmin.contact(TENANT, ids[12]!)).jobTitle, "Perito");
  // The run's batch get, and perhaps one more for the CRM's event of our own write (its echo).
  const later = (await batchGets()).slice(afterEcho);
  assert.ok(later.length >= 1 && later.every((g) => g.length === 1 && g[0] === ids[12]), JSON.stringify(later));

  assert.equal(await lists(), listed, "no CRM listing after the first sync");
  await w.assertQuiet();
});
