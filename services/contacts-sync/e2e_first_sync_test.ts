// End-to-end through the emulator: the first sync links quietly (C7) and, when the tenant asks for
// it, waits for the user's confirmation with the preview reachable meanwhile (A10).
import assert from "node:assert/strict";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

Deno.test("C7: linking 50 contacts present on both sides, equal but for e-mail case and phone notation, records no conflict and rewrites nothing", async () => {
  await using w = await startContactsWorld();
  const n = 50;
  const nr = (i: number) => String(1000 + i);
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: n }, (_, i) => ({
      givenName: `Vera${i}`,
      familyName: "Doppio",
      emails: [{ address: `Vera${i}.Doppio@Example.com`, kind: "work" as const }],
      phones: [
        { number: `089 55${nr(i)}`, kind: "mobile" as const },
        { number: `+49 (0)30 77${nr(i)}`, kind: "business" as const },
      ],
      syncUserIds: [USER],
    })),
    { emitEvents: false },
  );
  await w.m365.emu.admin.bulkContacts(
    w.upn,
    Array.from({ length: n }, (_, i) => ({
      givenName: `Vera${i}`,
      surname: "Doppio",
      emailAddresses: [{ address: `vera${i}.doppio@example.com`, name: `vera${i}.doppio@example.com` }],
      mobilePhone: `+49 89 55${nr(i)}`,
      businessPhones: [`030/77${nr(i)}`],
    })),
    w.folderId,
  );
  const before = await w.outlook();
  const crmWrites = await w.crmWrites();
  const graphWrites = await w.graphWrites();

  const run = await w.syncNow();
  assert.equal(run.status, "completed", run.error ?? run.summary?.reason);
  assert.equal(run.summary.preview.counts.linked, n, JSON.stringify(run.summary.preview.counts));
  assert.deepEqual(run.summary.conflicts, [], "equivalent values are no conflict");
  assert.deepEqual(run.summary.done, { link: n, stampInGraph: n }, "a first link only stamps the CRM id (C8)");
  assert.equal(await w.crmWrites(), crmWrites, "nothing written to the CRM");
  assert.equal(await w.graphWrites() - graphWrites, n, "one stamp per contact, no rewrite");
  const after = await w.outlook();
  assert.equal(after.length, n, "no copy");
  for (const o of before) {
    const now = after.find((a) => a.id === o.id)!;
    for (const field of ["emailAddresses", "mobilePhone", "businessPhones", "givenName", "surname"]) {
      assert.deepEqual(now[field], o[field], `${o.givenName}'s ${field} kept as the user wrote it`);
    }
  }
  assert.equal((await w.crmAdmin.contacts(TENANT)).length, n, "no copy in the CRM");
  await w.assertQuiet();
});

Deno.test("A10: the first sync waits for the user's confirmation, the preview is reachable meanwhile, and confirming starts it", async () => {
  await using w = await startContactsWorld();
  w.context = { ...w.context, firstSyncNeedsConfirmation: true };
  await w.crmAdmin.createContacts(TENANT, [
    {
      givenName: "Both",
      familyName: "Sides",
      emails: [{ address: "both@sides.example", kind: "work" }],
      syncUserIds: [USER],
    },
    { givenName: "Only", familyName: "Crm", syncUserIds: [USER] },
  ], { emitEvents: false });
  await w.m365.emu.admin.bulkContacts(w.upn, [
    { givenName: "Both", surname: "Sides", emailAddresses: [{ address: "both@sides.example" }] },
    { givenName: "Only", surname: "Outlook" },
  ], w.folderId);
  const graphWrites = await w.graphWrites(), crmWrites = await w.crmWrites();

  const waiting = await w.syncNow();
  assert.equal(waiting.status, "awaiting_confirmation");
  const status = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body;
  assert.match(status.paused?.reason ?? "", /confirm/i, "status says the first sync waits");
  assert.equal(await w.graphWrites(), graphWrites, "nothing written to Outlook while waiting");
  assert.equal(await w.crmWrites(), crmWrites, "nothing written to the CRM while waiting");

  const preview = await w.api("GET", `/v1/users/${USER}/contacts/preview`);
  assert.equal(preview.status, 200);
  assert.equal(preview.body.blocked, undefined, JSON.stringify(preview.body));
  assert.deepEqual(
    preview.body.summary.preview.counts,
    { linked: 1, createInOutlook: 1, createInCrm: 1, probableDuplicates: 0, invalid: 0, notImported: 0 },
  );
  assert.equal(await w.graphWrites(), graphWrites, "the preview wrote nothing");

  // Asking again without confirming still waits.
  assert.equal((await w.syncNow()).status, "awaiting_confirmation");
  assert.equal((await w.api("POST", `/v1/users/${USER}/contacts/confirm`)).status, 202);
  await w.settle();
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs;
  assert.equal(runs[0].status, "completed", JSON.stringify(runs[0]));
  assert.equal((await w.outlook()).length, 3, "Both Sides linked, Only Crm created");
  assert.equal((await w.crmAdmin.contacts(TENANT)).length, 3, "Only Outlook imported");
  // Later runs are no first sync: they go ahead without asking.
  await w.assertQuiet();
  await w.crmAdmin.createContact(TENANT, { givenName: "Later", familyName: "Added", syncUserIds: [USER] });
  await w.settle();
  assert.equal((await w.outlook()).length, 4);
});
