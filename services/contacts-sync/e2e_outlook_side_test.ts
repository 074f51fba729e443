// End-to-end through the emulator, on incremental (delta) reads: an emptied Outlook folder is
// refused, never a mass archive (P6), and a contact re-created under a new id is found again by its
// CRM id stamp, never archived or copied (C8).
import assert from "node:assert/strict";
import { CRM_ID_PROPERTY_ID } from "./sync/graph_mapping.ts";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

const FOLDER = (w: { folderId: string }) => `/me/contactFolders/${w.folderId}/contacts`;

Deno.test("P6: an Outlook folder the user emptied is refused at run level, nothing archived; confirming archives once", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 12 }, (_, i) => ({ givenName: `O${i}`, familyName: "Emptied", syncUserIds: [USER] })),
  );
  await w.syncNow();
  const outlook = await w.outlook();
  assert.equal(outlook.length, 12);
  for (const o of outlook) await w.outlookClient().api(`${FOLDER(w)}/${o.id}`).delete();

  const refused = await w.syncNow();
  assert.equal(refused.status, "refused", JSON.stringify(refused.summary));
  assert.equal(refused.mode, "incremental", "seen through a delta, not a complete listing");
  const status = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body;
  assert.match(status.paused?.reason ?? "", /outlook/i);
  assert.equal((await w.crmAdmin.contacts(TENANT)).filter((c) => c.archived).length, 0, "nothing archived");

  // Still refused on the next trigger: the delete is not forgotten, nor applied.
  assert.equal((await w.syncNow()).status, "refused");
  assert.equal((await w.crmAdmin.contacts(TENANT)).filter((c) => c.archived).length, 0);

  assert.equal((await w.api("POST", `/v1/users/${USER}/contacts/confirm`)).status, 202);
  await w.settle();
  const crm = await w.crmAdmin.contacts(TENANT);
  assert.equal(crm.length, 12, "archived, never deleted (C5)");
  assert.equal(crm.filter((c) => c.archived).length, 12, "the user meant it: every contact archived");
  await w.assertQuiet();
});

Deno.test("C8: a contact re-created in Outlook under a new id with its stamp is found again on an incremental read: no archive, no copy", async () => {
  await using w = await startContactsWorld();
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 3 }, (_, i) => ({ givenName: `M${i}`, familyName: "Moved", syncUserIds: [USER] })),
  );
  await w.syncNow();
  const graph = w.outlookClient();
  const old = (await w.outlook()).find((o) => o.givenName === "M0")!;
  const stamped = await graph.api(`${FOLDER(w)}/${old.id}`)
    .expand(`singleValueExtendedProperties($filter=id eq '${CRM_ID_PROPERTY_ID}')`).get();
  assert.equal(stamped.singleValueExtendedProperties?.[0]?.value, ids[0]);
  // Export and import: the contact goes, and comes back with its properties under a new id.
  await graph.api(`${FOLDER(w)}/${old.id}`).delete();
  const again = await graph.api(FOLDER(w)).post({
    givenName: "M0",
    surname: "Moved",
    displayName: "M0 Moved",
    singleValueExtendedProperties: stamped.singleValueExtendedProperties,
  });
  assert.notEqual(again.id, old.id);

  const run = await w.syncNow();
  assert.equal(run.status, "completed", JSON.stringify(run.summary));
  assert.equal(run.mode, "incremental");
  assert.equal(run.summary.done.relinkByCrmId, 1, JSON.stringify(run.summary.done));
  assert.equal(run.summary.done.archiveInCrm, undefined);
  assert.equal(run.summary.done.createInCrm, undefined);
  const crm = await w.crmAdmin.contacts(TENANT);
  assert.equal(crm.length, 3, "not imported as a new contact");
  assert.equal(crm.filter((c) => c.archived).length, 0, "not archived");
  const folder = (await w.outlook()).map((o) => o.id);
  assert.equal(folder.length, 3, "no copy in Outlook");
  assert.ok(folder.includes(again.id) && !folder.includes(old.id));
  const immutable = await graph.api(`${FOLDER(w)}/${again.id}`).header("Prefer", 'IdType="ImmutableId"').get();
  const item = await w.api("GET", `/v1/users/${USER}/contacts/items/${ids[0]}`);
  assert.equal(item.body.graphId, immutable.id, "the link follows the new id");
  await w.assertQuiet();
});
