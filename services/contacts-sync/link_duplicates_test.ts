// D4: contacts-sync tells dedupe which CRM contacts its own links make duplicates.
import assert from "node:assert/strict";
import { LinkDuplicatesReplySchema } from "@app/shared/contract";
import { callRpc } from "@app/shared/nats";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

Deno.test("links.duplicates D4: a synced contact copied in Outlook without its stamp and imported back is an echo", async () => {
  await using w = await startContactsWorld();
  const a = await w.crmAdmin.createContact(TENANT, {
    givenName: "Ilaria",
    familyName: "Conti",
    emails: [{ address: "ilaria.conti@example.com", kind: "work" }],
    syncUserIds: [USER],
  });
  await w.syncNow();
  const ask = () =>
    callRpc(w.nc, w.catalog.subjects.contacts.rpc.linkDuplicates, { tenantId: TENANT }, LinkDuplicatesReplySchema);
  assert.deepEqual((await ask()).items, [], "nothing before the copy");
  // Outlook's export/import (or the new contacts view) makes a copy without extended properties.
  const [written] = await w.outlook();
  await w.m365.emu.admin.bulkContacts(w.upn, [{
    givenName: written!.givenName,
    surname: written!.surname,
    emailAddresses: written!.emailAddresses,
  }], w.folderId);
  await w.syncNow();
  const crm = (await w.crmAdmin.contacts(TENANT)).filter((c) => c.familyName === "Conti");
  assert.equal(crm.length, 2, "the sync imported the copy as a new contact");
  const b = crm.find((c) => c.id !== a.id)!;
  const reply = await ask();
  assert.deepEqual(reply.items.map((i) => [i.kind, i.recordIds, i.userIds]), [["echo", [a.id, b.id], [USER]]]);
  assert.match(reply.items[0]!.detail, /copy of/);
  assert.equal(
    (await ask().then(() =>
      callRpc(w.nc, w.catalog.subjects.contacts.rpc.linkDuplicates, { tenantId: "other" }, LinkDuplicatesReplySchema)
    )).items.length,
    0,
    "another tenant's links are not shown",
  );
});
