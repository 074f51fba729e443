// End-to-end: invalid data, first-sync matching, id changes, merges, preview and safety.
import assert from "node:assert/strict";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

const FOLDER = (w: { folderId: string }) => `/me/contactFolders/${w.folderId}/contacts`;

Deno.test("C6: a contact with an invalid e-mail syncs without it, the problem is reported on it, others are unaffected", async () => {
  await using w = await startContactsWorld();
  const bad = await w.crmAdmin.createContact(TENANT, {
    givenName: "Marco",
    familyName: "Neri",
    emails: [{ address: "marco(at)neri", kind: "work" }, { address: "marco@neri.example", kind: "home" }],
    syncUserIds: [USER],
  });
  await w.crmAdmin.createContact(TENANT, { givenName: "No", familyName: "Mail", syncUserIds: [USER] });
  await w.syncNow();
  const outlook = await w.outlook();
  assert.equal(outlook.length, 2);
  const marco = outlook.find((o) => o.surname === "Neri")!;
  assert.deepEqual(marco.emailAddresses.map((e: { address: string }) => e.address), ["marco@neri.example"]);
  const item = await w.api("GET", `/v1/users/${USER}/contacts/items/${bad.id}`);
  assert.equal(item.status, 200);
  assert.ok(
    item.body.warnings.some((x: { message: string }) => x.message.includes("marco(at)neri")),
    JSON.stringify(item.body),
  );
  assert.equal((await w.crmAdmin.contact(TENANT, bad.id)).emails.length, 2, "the CRM keeps what it had");
  await w.assertQuiet();
});

Deno.test("C7: contacts present on both sides before the first sync are linked, not copied", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContacts(TENANT, [
    {
      givenName: "Eva",
      familyName: "Klein",
      emails: [{ address: "Eva.Klein@Example.com", kind: "work" }],
      syncUserIds: [USER],
    },
    { givenName: "Otto", familyName: "Groß", phones: [{ number: "089 123456", kind: "mobile" }], syncUserIds: [USER] },
    { givenName: "Sara", familyName: "Conti", company: "Conti SRL", syncUserIds: [USER] },
  ], { emitEvents: false });
  await w.m365.emu.admin.bulkContacts(w.upn, [
    { givenName: "Eva", surname: "Klein-Meyer", emailAddresses: [{ address: "eva.klein@example.com" }] },
    { givenName: "O.", surname: "Gross", mobilePhone: "+49 89 123456" },
    { givenName: "sara", surname: "CONTI", companyName: "Conti SRL" },
  ], w.folderId);
  const run = await w.syncNow();
  assert.equal(run.summary.preview.counts.linked, 3, JSON.stringify(run.summary.preview));
  assert.equal((await w.outlook()).length, 3, "no copy in Outlook");
  assert.equal((await w.crmAdmin.contacts(TENANT)).length, 3, "no copy in the CRM");
  await w.assertQuiet();
});

Deno.test("C8: links survive Outlook changing ids and losing the delta state; nothing is duplicated", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 5 }, (_, i) => ({
      givenName: `P${i}`,
      familyName: "Stable",
      syncUserIds: [USER],
    })),
  );
  await w.syncNow();
  const before = await w.outlook();
  await w.whileStopped(async () => {
    await w.m365.emu.admin.changeItemId(w.upn, before[0]!.id); // a move changes the regular id, not the immutable one
    await w.m365.emu.admin.expireDeltaTokens();
    await w.crmAdmin.updateContact(TENANT, (await w.crmAdmin.contacts(TENANT))[1]!.id, { jobTitle: "after resync" });
  });
  await w.settle();
  const run = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs[0];
  assert.equal(run.summary.complete, true, "a full resync after 410");
  const after = await w.outlook();
  assert.equal(after.length, 5);
  assert.equal(
    (await w.crmAdmin.contacts(TENANT)).filter((c) => !c.archived).length,
    5,
    "nothing archived by omission",
  );
  assert.ok(after.some((o) => o.jobTitle === "after resync"));
  await w.assertQuiet();
});

Deno.test("C9: edits to different fields on both sides merge; the same field edited on both is resolved by policy and recorded", async () => {
  await using w = await startContactsWorld();
  const c = await w.crmAdmin.createContact(TENANT, {
    givenName: "Nina",
    familyName: "Berg",
    jobTitle: "A",
    company: "X",
    syncUserIds: [USER],
  });
  await w.syncNow();
  const [o] = await w.outlook();
  await w.whileStopped(async () => {
    await w.crmAdmin.updateContact(TENANT, c.id, { jobTitle: "CRM title", notes: "from CRM" });
    await w.outlookClient().api(`${FOLDER(w)}/${o!.id}`).patch({ jobTitle: "Outlook title", companyName: "Y" });
  });
  await w.settle();
  // Our write to the CRM comes back as an event and a run that plans nothing; the merge is in the run before.
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs;
  const conflicts = runs.flatMap((r: { summary: { conflicts: { field: string }[] } }) => r.summary?.conflicts ?? []);
  const crm = await w.crmAdmin.contact(TENANT, c.id);
  const [out] = await w.outlook();
  assert.deepEqual([crm.jobTitle, crm.company, crm.notes], ["CRM title", "Y", "from CRM"]);
  assert.deepEqual([out!.jobTitle, out!.companyName, out!.personalNotes], ["CRM title", "Y", "from CRM"]);
  assert.deepEqual(conflicts.map((x: { field: string }) => x.field), ["jobTitle"]);
  await w.assertQuiet();
});

Deno.test("C9: with the outlook-wins policy the Outlook value of a conflicting field wins", async () => {
  await using w = await startContactsWorld({ conflictPolicy: "outlook-wins" });
  const c = await w.crmAdmin.createContact(TENANT, {
    givenName: "Ines",
    familyName: "Berg",
    jobTitle: "A",
    syncUserIds: [USER],
  });
  await w.syncNow();
  const [o] = await w.outlook();
  await w.whileStopped(async () => {
    await w.crmAdmin.updateContact(TENANT, c.id, { jobTitle: "CRM title" });
    await w.outlookClient().api(`${FOLDER(w)}/${o!.id}`).patch({ jobTitle: "Outlook title" });
  });
  await w.settle();
  assert.equal((await w.crmAdmin.contact(TENANT, c.id)).jobTitle, "Outlook title");
  await w.assertQuiet();
});

Deno.test("A9: the preview lists links, creates on each side, probable duplicates and invalid records, writing nothing", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContacts(TENANT, [
    {
      givenName: "Link",
      familyName: "Me",
      emails: [{ address: "link@me.example", kind: "work" }],
      syncUserIds: [USER],
    },
    { givenName: "New", familyName: "InCrm", emails: [{ address: "bad@@mail", kind: "work" }], syncUserIds: [USER] },
    { givenName: "Dup", familyName: "One", emails: [{ address: "dup@x.example", kind: "work" }], syncUserIds: [USER] },
  ], { emitEvents: false });
  await w.m365.emu.admin.bulkContacts(w.upn, [
    { givenName: "Link", surname: "Me", emailAddresses: [{ address: "link@me.example" }] },
    { givenName: "Fresh", surname: "InOutlook" },
    { givenName: "Dup", surname: "One", emailAddresses: [{ address: "dup@x.example" }] },
    { givenName: "Dup", surname: "One (2)", emailAddresses: [{ address: "dup@x.example" }] },
  ], w.folderId);
  const g = await w.graphWrites(), c = await w.crmWrites();
  const preview = await w.api("GET", `/v1/users/${USER}/contacts/preview`);
  assert.equal(preview.status, 200);
  const p = preview.body.summary.preview;
  assert.equal(p.counts.linked, 2, "Link Me and one Dup One");
  assert.equal(p.counts.createInOutlook, 1);
  assert.equal(p.counts.createInCrm, 1);
  assert.equal(p.counts.probableDuplicates, 1, "the second Dup One");
  assert.ok(p.invalid.some((i: { message: string }) => i.message.includes("bad@@mail")));
  assert.equal(await w.graphWrites(), g, "preview wrote nothing to Outlook");
  assert.equal(await w.crmWrites(), c, "preview wrote nothing to the CRM");
  assert.equal((await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs.length, 0, "no run happened");
});

Deno.test("P6: a run that would remove most of a user's contacts pauses until confirmed; then it applies once", async () => {
  await using w = await startContactsWorld();
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 20 }, (_, i) => ({
      givenName: `Keep${i}`,
      familyName: "Safe",
      syncUserIds: [USER],
    })),
  );
  await w.syncNow();
  // All archives land before any run, as a bulk change in the CRM would.
  await w.whileStopped(async () => {
    for (const id of ids.slice(0, 15)) await w.crmAdmin.archiveContact(TENANT, id);
  });
  const paused = await w.syncNow();
  assert.equal(paused.status, "paused");
  assert.equal((await w.outlook()).length, 20, "nothing removed while paused");
  const status = await w.api("GET", `/v1/users/${USER}/contacts/status`);
  assert.match(status.body.paused.reason, /15/);
  const confirm = await w.api("POST", `/v1/users/${USER}/contacts/confirm`);
  assert.equal(confirm.status, 202);
  await w.settle();
  assert.equal((await w.outlook()).length, 5);
  assert.equal((await w.api("POST", `/v1/users/${USER}/contacts/confirm`)).status, 409, "nothing left to confirm");
  await w.assertQuiet();
});
