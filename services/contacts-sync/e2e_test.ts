// End-to-end scenarios through NATS, real Postgres and the Microsoft 365 emulator. Each syncs, then
// syncs again and asserts the second run writes nothing on either side.
import assert from "node:assert/strict";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

const FOLDER = (w: { folderId: string }) => `/me/contactFolders/${w.folderId}/contacts`;

Deno.test("C1: every synced field travels CRM → Outlook and back", async () => {
  await using w = await startContactsWorld();
  const c = await w.crmAdmin.createContact(TENANT, {
    salutation: "Frau",
    title: "Dr.",
    givenName: "Anna",
    middleName: "Maria",
    familyName: "Schulz",
    company: "Schulz Immobilien GmbH",
    jobTitle: "Geschäftsführerin",
    emails: [{ address: "anna@schulz.example", kind: "work" }, { address: "anna.privat@example.org", kind: "home" }],
    phones: [
      { number: "+49 89 1234567", kind: "business" },
      { number: "+49 171 2345678", kind: "mobile" },
      { number: "+49 89 7654321", kind: "home" },
    ],
    addresses: [{
      kind: "business",
      street: "Leopoldstr. 1",
      postalCode: "80802",
      city: "München",
      state: "BY",
      country: "DE",
    }],
    birthday: "1975-03-30",
    notes: "Sucht Altbau in Schwabing.",
    syncUserIds: [USER],
  });
  await w.syncNow();
  const [o] = await w.outlook();
  assert.equal(o!.title, "Frau Dr.");
  assert.deepEqual([o!.givenName, o!.middleName, o!.surname], ["Anna", "Maria", "Schulz"]);
  assert.equal(o!.companyName, "Schulz Immobilien GmbH");
  assert.equal(o!.jobTitle, "Geschäftsführerin");
  assert.deepEqual(o!.emailAddresses.map((e: { address: string }) => e.address), [
    "anna@schulz.example",
    "anna.privat@example.org",
  ]);
  assert.deepEqual([o!.businessPhones, o!.mobilePhone, o!.homePhones], [["+49 89 1234567"], "+49 171 2345678", [
    "+49 89 7654321",
  ]]);
  assert.equal(o!.businessAddress.city, "München");
  assert.match(o!.birthday, /^1975-03-30/);
  assert.equal(o!.personalNotes, "Sucht Altbau in Schwabing.");

  await w.outlookClient().api(`${FOLDER(w)}/${o!.id}`).patch({
    jobTitle: "Inhaberin",
    mobilePhone: "+49 171 0000000",
    homeAddress: { street: "Ainmillerstr. 9", postalCode: "80801", city: "München", state: "", countryOrRegion: "DE" },
    personalNotes: "Sucht Altbau in Schwabing oder Haidhausen.",
  });
  await w.syncNow();
  const back = await w.crmAdmin.contact(TENANT, c.id);
  assert.equal(back.jobTitle, "Inhaberin");
  assert.deepEqual(back.phones.find((p) => p.kind === "mobile")?.number, "+49 171 0000000");
  assert.equal(back.addresses.find((a) => a.kind === "home")?.street, "Ainmillerstr. 9");
  assert.equal(back.notes, "Sucht Altbau in Schwabing oder Haidhausen.");
  assert.equal(back.salutation, "Frau", "salutation kept when the honorific did not change");
  assert.equal(back.birthday, "1975-03-30");
  await w.assertQuiet();
});

Deno.test("C2: a contact created in Outlook reaches the CRM flagged for the user, and later changes follow", async () => {
  await using w = await startContactsWorld();
  const created = await w.outlookClient().api(FOLDER(w)).post({
    givenName: "Luca",
    surname: "Bianchi",
    emailAddresses: [{ address: "luca@bianchi.example" }],
  });
  await w.syncNow();
  let crm = (await w.crmAdmin.contacts(TENANT)).filter((c) => c.familyName === "Bianchi");
  assert.equal(crm.length, 1);
  assert.deepEqual(crm[0]!.syncUserIds, [USER]);
  await w.outlookClient().api(`${FOLDER(w)}/${created.id}`).patch({ companyName: "Bianchi Case" });
  await w.syncNow();
  crm = (await w.crmAdmin.contacts(TENANT)).filter((c) => c.familyName === "Bianchi");
  assert.equal(crm.length, 1, "no duplicate");
  assert.equal(crm[0]!.company, "Bianchi Case");
  await w.assertQuiet();
});

Deno.test("C4: one-way mode overwrites Outlook edits from the CRM and imports nothing from Outlook", async () => {
  await using w = await startContactsWorld({ direction: "crm-to-outlook" });
  await w.crmAdmin.createContact(TENANT, {
    givenName: "Paolo",
    familyName: "Verdi",
    jobTitle: "Makler",
    syncUserIds: [USER],
  });
  await w.syncNow();
  const [o] = await w.outlook();
  await w.outlookClient().api(`${FOLDER(w)}/${o!.id}`).patch({ jobTitle: "Changed in Outlook" });
  await w.outlookClient().api(FOLDER(w)).post({ givenName: "Only", surname: "InOutlook" });
  const crmWritesBefore = await w.crmWrites();
  await w.syncNow();
  const after = await w.outlook();
  assert.equal(after.find((c) => c.id === o!.id)!.jobTitle, "Makler", "the CRM's value wins");
  assert.equal(await w.crmWrites(), crmWritesBefore, "nothing written to the CRM");
  assert.equal((await w.crmAdmin.contacts(TENANT)).length, 1, "the Outlook-only contact is not imported");
  await w.assertQuiet();
});

Deno.test("C5: an Outlook delete archives in the CRM; a CRM delete, archive or cleared flag removes it from Outlook", async () => {
  await using w = await startContactsWorld();
  const [a, b, c, d] = await Promise.all(
    ["Ada", "Ben", "Cid", "Dan"].map((n) =>
      w.crmAdmin.createContact(TENANT, { givenName: n, familyName: "Test", syncUserIds: [USER] })
    ),
  );
  await w.syncNow();
  const byName = Object.fromEntries((await w.outlook()).map((o) => [o.givenName, o.id]));
  await w.outlookClient().api(`${FOLDER(w)}/${byName.Ada}`).delete();
  await w.crmAdmin.deleteContact(TENANT, b!.id);
  await w.crmAdmin.archiveContact(TENANT, c!.id);
  await w.crmAdmin.setSyncFlag(TENANT, d!.id, USER, false);
  await w.syncNow();
  const adaInCrm = await w.crmAdmin.contact(TENANT, a!.id);
  assert.equal(adaInCrm.archived, true, "archived, never deleted");
  assert.deepEqual((await w.outlook()).map((o) => o.givenName), [], "Ben, Cid and Dan left Outlook");
  assert.equal((await w.crmAdmin.contact(TENANT, d!.id)).archived, false, "unflagging changes nothing in the CRM");
  await w.assertQuiet();
});

Deno.test("C3: only non-archived CRM contacts flagged for the user reach their Outlook folder", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createUser(TENANT, { id: "u2", displayName: "Bruno" });
  await w.crmAdmin.createContact(TENANT, { givenName: "Giulia", familyName: "Rossi", syncUserIds: [USER] });
  await w.crmAdmin.createContact(TENANT, { givenName: "Not", familyName: "Flagged" });
  await w.crmAdmin.createContact(TENANT, { givenName: "Other", familyName: "User", syncUserIds: ["u2"] });
  await w.crmAdmin.createContact(TENANT, {
    givenName: "Old",
    familyName: "Archived",
    syncUserIds: [USER],
    archived: true,
  });
  const run = await w.syncNow();
  assert.equal(run.status, "completed", JSON.stringify(run));
  assert.deepEqual((await w.outlook()).map((c) => c.displayName), ["Giulia Rossi"]);
  await w.assertQuiet();
});

Deno.test("C3: a user who chose the default Contacts folder gets the contacts there", async () => {
  await using w = await startContactsWorld();
  w.context.settings.contacts.folderId = "default";
  await w.crmAdmin.createContact(TENANT, { givenName: "Default", familyName: "Folder", syncUserIds: [USER] });
  await w.syncNow();
  const inDefault = (await w.m365.emu.admin.contacts(w.upn)).value;
  assert.deepEqual(inDefault.map((c) => c.displayName), ["Default Folder"]);
  assert.deepEqual(await w.outlook(), [], "nothing in the other folder");
  await w.assertQuiet();
});
