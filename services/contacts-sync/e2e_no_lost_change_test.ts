// P9: no lost change. Graph never reports a contact created and deleted between two delta rounds,
// a notification or a delta change can be dropped: an update that finds the item gone is a delete
// on that side, and the periodic reconciliation compares complete listings and repairs drift.
import assert from "node:assert/strict";
import { waitFor } from "@app/shared/testing";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

const item = (w: { folderId: string }, id: string) => `/me/contactFolders/${w.folderId}/contacts/${id}`;

Deno.test("P9: a contact created by the sync and deleted in Outlook before the next run is archived in the CRM; later CRM edits fail nothing", async () => {
  await using w = await startContactsWorld();
  const c = await w.crmAdmin.createContact(TENANT, { givenName: "Short", familyName: "Lived", syncUserIds: [USER] });
  await w.syncNow();
  const [o] = await w.outlook();
  assert.ok(o, "created in Outlook by the sync");
  await w.whileStopped(async () => {
    await w.outlookClient().api(item(w, o.id)).delete();
  });
  await w.syncNow();
  assert.equal((await w.crmAdmin.contact(TENANT, c.id)).archived, true, "archived, never deleted (C5)");

  await w.crmAdmin.updateContact(TENANT, c.id, { jobTitle: "Later edit" });
  await w.settle();
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs;
  assert.equal(runs[0].status, "completed", JSON.stringify(runs[0]));
  assert.deepEqual(runs[0].summary.failures, []);
  assert.equal((await w.outlook()).length, 0, "an archived contact stays out of Outlook");
  await w.assertQuiet();
});

Deno.test("P9: an Outlook delete the delta never reported is found when a CRM edit answers 404, and archived in the CRM", async () => {
  await using w = await startContactsWorld();
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 3 }, (_, i) => ({ givenName: `D${i}`, familyName: "Dropped", syncUserIds: [USER] })),
  );
  await w.syncNow();
  await w.syncNow(); // the cursor moves past our own creates
  const gone = (await w.outlook()).find((c) => c.givenName === "D1")!;
  await w.whileStopped(async () => {
    await w.outlookClient().api(item(w, gone.id)).delete();
    await w.dropDeltaChanges();
    await w.crmAdmin.updateContact(TENANT, ids[1]!, { jobTitle: "Edited in the CRM" });
  });
  await waitFor("the contact archived in the CRM", async () => (await w.crmAdmin.contact(TENANT, ids[1]!)).archived, {
    timeoutMs: 30_000,
  });
  await w.settle();
  assert.deepEqual((await w.outlook()).map((c) => c.givenName).sort(), ["D0", "D2"]);
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs;
  assert.ok(
    runs.some((r: { summary?: { failures?: { action: string }[] } }) =>
      r.summary?.failures?.some((f) => f.action === "updateInGraph")
    ),
    "the update found the contact gone",
  );
  await w.assertQuiet();
});

Deno.test("P9: the periodic reconciliation repairs a link whose delta change was dropped", async () => {
  await using w = await startContactsWorld({ env: { SCHEDULER_SWEEP_MS: "200" } });
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 3 }, (_, i) => ({ givenName: `R${i}`, familyName: "Reconciled", syncUserIds: [USER] })),
  );
  await w.syncNow();
  await w.syncNow();
  const edited = (await w.outlook()).find((c) => c.givenName === "R2")!;
  await w.whileStopped(async () => {
    await w.outlookClient().api(item(w, edited.id)).patch({ jobTitle: "Lost in the delta" });
    await w.dropDeltaChanges();
  });
  const incremental = await w.syncNow();
  assert.equal(incremental.mode, "incremental");
  assert.notEqual((await w.crmAdmin.contact(TENANT, ids[2]!)).jobTitle, "Lost in the delta", "the change was lost");

  // The user's reconciliation falls due (default daily; the sweep picks it up like any other).
  await w.sql((sql) => sql`update contacts_sync.sync_users set next_reconcile_at = now() where user_id = ${USER}`);
  await waitFor(
    "the dropped change in the CRM",
    async () => (await w.crmAdmin.contact(TENANT, ids[2]!)).jobTitle === "Lost in the delta",
    { timeoutMs: 30_000 },
  );
  await w.settle();
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs;
  assert.ok(
    runs.some((r: { mode: string }) => r.mode === "reconcile"),
    JSON.stringify(runs.map((r: { mode: string }) => r.mode)),
  );
  await w.assertQuiet();
});
