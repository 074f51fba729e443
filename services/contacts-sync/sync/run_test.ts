import assert from "node:assert/strict";
import { crmIdStampOf } from "./graph_mapping.ts";
import { harness, USER } from "./_test_harness.ts";

const fullCrm = {
  salutation: "Frau",
  title: "Dr.",
  givenName: "Anna",
  middleName: "Maria",
  familyName: "Rossi",
  company: "Casa Bella Immobilien",
  jobTitle: "Maklerin",
  emails: [{ address: "anna@casabella.example", kind: "work" as const }],
  phones: [
    { number: "+49 30 1111111", kind: "business" as const },
    { number: "+49 171 2222222", kind: "mobile" as const },
    { number: "+49 30 3333333", kind: "home" as const },
  ],
  addresses: [{
    kind: "business" as const,
    street: "Hauptstr. 1",
    postalCode: "10115",
    city: "Berlin",
    state: "",
    country: "DE",
  }],
  birthday: "1980-02-29",
  notes: "Sucht 3 Zimmer\nin Mitte",
};

Deno.test("runContactSync() carries every C1 field to Outlook and Outlook edits of them back to the CRM (C1)", async () => {
  const h = harness();
  const c = h.addCrm(fullCrm);
  await h.syncTwice();
  const [g] = h.graph.all();
  assert.ok(g);
  assert.equal(g.title, "Frau Dr.");
  assert.equal(g.displayName, "Anna Maria Rossi");
  assert.deepEqual(g.emailAddresses?.map((e) => e.address), ["anna@casabella.example"]);
  assert.deepEqual([g.businessPhones, g.mobilePhone, g.homePhones], [["+49 30 1111111"], "+49 171 2222222", [
    "+49 30 3333333",
  ]]);
  assert.equal(g.businessAddress?.city, "Berlin");
  assert.equal(g.birthday?.slice(0, 10), "1980-02-29");
  assert.equal(g.personalNotes, "Sucht 3 Zimmer\nin Mitte");
  assert.equal(crmIdStampOf(g), c.id);

  h.graph.userUpdate(g.id, {
    jobTitle: "Geschäftsführerin",
    homePhones: ["+49 30 4444444"],
    birthday: "1981-03-01T00:00:00Z",
  });
  await h.syncTwice();
  const after = h.crm.get(c.id)!;
  assert.equal(after.jobTitle, "Geschäftsführerin");
  assert.deepEqual(after.phones.filter((p) => p.kind === "home").map((p) => p.number), ["+49 30 4444444"]);
  assert.equal(after.birthday, "1981-03-01");
  assert.equal(after.salutation, "Frau");
  await h.assertInStep();
});

Deno.test("runContactSync() brings every Outlook contact into the CRM, flagged for the user, and later changes follow (C2)", async () => {
  const h = harness();
  const g1 = h.addOutlook({ givenName: "Luca", surname: "Bianchi", emailAddresses: [{ address: "luca@x.example" }] });
  h.addOutlook({ companyName: "Notar Weber" });
  await h.syncTwice();
  assert.equal(h.crm.all().length, 2);
  assert.ok(h.crm.all().every((c) => c.syncUserIds.includes(USER) && !c.archived));
  h.graph.userUpdate(g1.id, { surname: "Bianchi-Verdi" });
  await h.syncTwice();
  assert.ok(h.crm.all().some((c) => c.familyName === "Bianchi-Verdi"));
  await h.assertInStep();
});

Deno.test("runContactSync() puts only non-archived CRM contacts flagged for the user into Outlook (C3)", async () => {
  const h = harness();
  h.addCrm({ familyName: "Flagged" });
  h.addCrm({ familyName: "Other user" }, ["u2"]);
  const archived = h.addCrm({ familyName: "Archived" });
  h.crm.setArchived(archived.id, true);
  await h.syncTwice();
  assert.deepEqual(h.graph.all().map((g) => g.surname), ["Flagged"]);
  await h.assertInStep();
});

Deno.test("runContactSync() in one-way mode overwrites Outlook edits, imports nothing and re-creates deleted contacts (C4)", async () => {
  const h = harness({ direction: "crm-to-outlook" });
  const c = h.addCrm({ familyName: "Rossi", jobTitle: "Agent" });
  await h.syncTwice();
  const [g] = h.graph.all();
  h.graph.userUpdate(g!.id, { jobTitle: "Edited in Outlook" });
  h.addOutlook({ surname: "Outlook only" });
  await h.syncTwice();
  assert.equal(h.crm.get(c.id)!.jobTitle, "Agent");
  assert.equal(h.graph.get(g!.id)!.jobTitle, "Agent");
  assert.equal(h.crm.all().length, 1, "nothing imported");
  h.graph.userDelete(g!.id);
  await h.syncTwice();
  assert.equal(h.crm.get(c.id)!.archived, false);
  assert.deepEqual(h.graph.all().map((x) => x.surname).sort(), ["Outlook only", "Rossi"]);
});

Deno.test("runContactSync() archives in CRM when Outlook deleted the contact, never deletes (C5)", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  await h.syncTwice();
  h.graph.userDelete(h.graph.all()[0]!.id);
  const first = await h.syncTwice();
  assert.equal(first.done.archiveInCrm, 1);
  assert.equal(h.crm.get(c.id)?.archived, true);
  assert.deepEqual(await h.links.list(), []);
});

Deno.test("runContactSync() deletes in Outlook when the CRM deleted the contact (C5)", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  h.addCrm({ familyName: "Stays" });
  await h.syncTwice();
  h.crm.remove(c.id);
  const first = await h.syncTwice();
  assert.equal(first.done.deleteInGraph, 1);
  assert.deepEqual(first.plan.pairs[0]?.actions[0], {
    kind: "deleteInGraph",
    graphId: first.plan.pairs[0]?.before?.graphId,
    reason: "deleted",
  });
  assert.deepEqual(h.graph.all().map((g) => g.surname), ["Stays"]);
});

Deno.test("runContactSync() removes a contact from the user's Outlook when archived or unflagged in the CRM (C5)", async () => {
  const h = harness();
  const a = h.addCrm({ familyName: "Archived" });
  const u = h.addCrm({ familyName: "Unflagged" });
  h.addCrm({ familyName: "Stays" });
  await h.syncTwice();
  h.crm.setArchived(a.id, true);
  h.crm.setFlag(u.id, USER, false);
  const first = await h.syncTwice();
  const reasons = first.plan.pairs.flatMap((p) => p.actions).map((x) => x.kind === "deleteInGraph" ? x.reason : "");
  assert.deepEqual(reasons.sort(), ["archived", "unflagged"]);
  assert.deepEqual(h.graph.all().map((g) => g.surname), ["Stays"]);
  assert.equal(h.crm.get(u.id)!.archived, false, "unflagging never archives");
  h.crm.setFlag(u.id, USER, true);
  await h.syncTwice();
  assert.deepEqual(h.graph.all().map((g) => g.surname).sort(), ["Stays", "Unflagged"]);
  await h.assertInStep();
});

Deno.test("runContactSync() syncs a contact without or with an invalid e-mail, skipping and reporting the bad value (C6)", async () => {
  const h = harness();
  const bad = h.addCrm({
    familyName: "Invalid",
    emails: [{ address: "mario@@rossi", kind: "work" }, { address: "ok@rossi.example", kind: "home" }],
  });
  h.addCrm({ familyName: "No e-mail" });
  h.addOutlook({ surname: "Outlook bad", emailAddresses: [{ address: "not an address" }] });
  const first = await h.syncTwice();
  assert.equal(h.graph.all().length, 3);
  assert.equal(h.crm.all().length, 3);
  assert.ok(first.warnings.some((w) => w.code === "invalid_email" && w.crmId === bad.id));
  assert.ok(first.warnings.some((w) => w.code === "invalid_email" && w.crmId === null));
  const row = (await h.links.list()).find((l) => l.crmId === bad.id)!;
  assert.deepEqual(row.warnings.map((w) => w.code), ["invalid_email"], "reported on the contact");
  assert.deepEqual(h.crm.get(bad.id)!.emails.map((e) => e.address), ["mario@@rossi", "ok@rossi.example"]);
  await h.assertInStep();
});

Deno.test("runContactSync() on first sync links contacts present on both sides instead of copying them (C7)", async () => {
  const h = harness();
  const byMail = h.addCrm({
    familyName: "Rossi",
    emails: [{ address: "ANNA@x.example", kind: "work" }],
    jobTitle: "CRM title",
  });
  const byPhone = h.addCrm({ familyName: "Bianchi", phones: [{ number: "0171 5555555", kind: "mobile" }] });
  const byName = h.addCrm({ givenName: "José", familyName: "Álvarez", company: "Casa" });
  h.addOutlook({ surname: "Rossi", emailAddresses: [{ address: "anna@x.example" }], companyName: "From Outlook" });
  h.addOutlook({ surname: "Bianchi", businessPhones: ["+49 171 5555555"] });
  h.addOutlook({ givenName: "jose", surname: "ALVAREZ", companyName: "casa" });
  const first = await h.syncTwice();
  assert.deepEqual(first.preview.linked.map((l) => [l.crmId, l.by]), [
    [byMail.id, "email"],
    [byPhone.id, "phone"],
    [byName.id, "name_company"],
  ]);
  assert.equal(h.crm.all().length, 3);
  assert.equal(h.graph.all().length, 3);
  // Values present on one side only are kept; a value differing on both follows the policy (CRM wins).
  assert.equal(h.crm.get(byMail.id)!.company, "From Outlook");
  assert.equal(h.crm.get(byName.id)!.familyName, "Álvarez");
  await h.assertInStep();
});

Deno.test("runContactSync() links 50 contacts equal but for e-mail case and phone notation silently: no conflict, no rewrite (C7)", async () => {
  const h = harness();
  const n = 50;
  for (let i = 0; i < n; i++) {
    h.addCrm({
      familyName: `Doppio${i}`,
      emails: [{ address: `Vera${i}@Example.com`, kind: "work" }],
      phones: [{ number: `0171 55${1000 + i}`, kind: "mobile" }, { number: `030 77${1000 + i}`, kind: "business" }],
    });
    h.addOutlook({
      surname: `Doppio${i}`,
      emailAddresses: [{ address: `vera${i}@example.com` }],
      mobilePhone: `+49 171 55${1000 + i}`,
      businessPhones: [`+49 (30) 77${1000 + i}`],
    });
  }
  const crmWrites = h.crm.writes, graphWrites = h.graph.writes;
  const first = await h.syncTwice();
  assert.equal(first.preview.linked.length, n);
  assert.deepEqual(first.conflicts, [], "equivalent values are no conflict");
  assert.deepEqual(first.planned, { link: n, stampInGraph: n }, "only the CRM id stamp is written (C8)");
  assert.equal(h.crm.writes, crmWrites, "nothing written to the CRM");
  assert.equal(h.graph.writes - graphWrites, n);
  const o = h.graph.all().find((g) => g.surname === "Doppio7")!;
  assert.deepEqual(o.emailAddresses?.map((e) => e.address), ["vera7@example.com"], "kept as the user wrote it");
  assert.equal(o.mobilePhone, "+49 171 551007");

  // Later, an Outlook edit of another field carries only that field; the notation stays each side's.
  h.graph.userUpdate(o.id, { jobTitle: "Notaio" });
  const edit = await h.syncTwice();
  assert.deepEqual(edit.conflicts, []);
  assert.deepEqual(edit.planned, { updateInCrm: 1 });
  const c = h.crm.all().find((x) => x.familyName === "Doppio7")!;
  assert.equal(c.jobTitle, "Notaio");
  assert.deepEqual(c.emails.map((e) => e.address), ["Vera7@Example.com"]);
  assert.deepEqual(c.phones.map((p) => p.number), ["030 771007", "0171 551007"]);
});

Deno.test("runContactSync() holds probable duplicates instead of copying them (C7)", async () => {
  const h = harness();
  h.addCrm({ givenName: "Carla", emails: [{ address: "info@agency.example", kind: "work" }] });
  h.addCrm({ givenName: "Carla", emails: [{ address: "info@agency.example", kind: "work" }] });
  const g = h.addOutlook({ givenName: "Carla", emailAddresses: [{ address: "info@agency.example" }] });
  const first = await h.syncTwice();
  assert.equal(first.preview.probableDuplicates.length > 0, true);
  assert.equal(h.crm.all().length, 2);
  assert.equal(h.graph.all().length, 1);
  const rows = await h.links.list();
  assert.deepEqual(rows.map((r) => [r.state, r.graphId]), [["held", g.id]]);
});

Deno.test("runContactSync() finds a contact whose Outlook id changed by its CRM id stamp and relinks it (C8)", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  await h.syncTwice();
  const oldId = h.graph.all()[0]!.id;
  h.graph.changeId(oldId);
  h.graph.expireCursors();
  const first = await h.syncTwice();
  assert.equal(first.complete, true);
  assert.equal(first.done.relinkByCrmId, 1);
  assert.equal(first.plan.destructiveCount, 0);
  assert.equal(h.graph.all().length, 1);
  assert.equal(h.crm.get(c.id)!.archived, false);
  await h.assertInStep();
});

Deno.test("runContactSync() on an incremental read finds a contact whose Outlook id changed by its stamp: no archive, no copy (C8)", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  await h.syncTwice();
  const oldId = h.graph.all()[0]!.id;
  // Export and import (or a move out and back): a delta reports a delete and a create under a new
  // id, and a delta read carries no stamp; only the stamp lookup tells it is the same contact.
  const newId = h.graph.changeId(oldId);
  const requests = h.graph.requests;
  const first = await h.syncTwice();
  assert.equal(first.complete, false, "an incremental read, not a resync");
  assert.ok(h.graph.requests > requests + 1, "the stamp was looked up");
  assert.equal(first.done.relinkByCrmId, 1);
  assert.equal(first.plan.destructiveCount, 0);
  assert.deepEqual(first.preview.createInCrm, []);
  assert.equal(h.crm.get(c.id)!.archived, false, "never archived");
  assert.equal(h.crm.all().length, 1, "never imported as a new contact");
  assert.deepEqual(h.graph.all().map((g) => g.id), [newId]);
  assert.equal((await h.links.list())[0]?.graphId, newId);
  await h.assertInStep();
});

Deno.test("runContactSync() after an expired delta cursor resyncs without deleting or archiving by omission (C8)", async () => {
  const h = harness();
  const a = h.addCrm({ familyName: "Kept" });
  h.addCrm({ familyName: "Also kept" });
  await h.syncTwice();
  const gone = h.graph.all().find((g) => g.surname === "Kept")!;
  h.graph.userDelete(gone.id);
  h.graph.expireCursors();
  const first = await h.syncTwice();
  assert.equal(first.complete, true);
  assert.equal(first.plan.destructiveCount, 0);
  assert.equal(h.crm.get(a.id)!.archived, false, "a full listing never archives by omission");
  assert.equal(first.done.createInGraph, 1, "re-created in Outlook instead");
  await h.assertInStep();
});

Deno.test("runContactSync() merges concurrent edits field by field and records a conflict resolved by policy (C9)", async () => {
  for (const policy of ["crm-wins", "outlook-wins"] as const) {
    const h = harness({ conflictPolicy: policy });
    const c = h.addCrm({ familyName: "Rossi", jobTitle: "Agent", company: "Old" });
    await h.syncTwice();
    const g = h.graph.all()[0]!;
    h.crm.edit(c.id, { jobTitle: "CRM job", middleName: "CRM middle" });
    h.graph.userUpdate(g.id, { jobTitle: "Outlook job", companyName: "Outlook company" });
    const first = await h.syncTwice();
    assert.deepEqual(first.conflicts.map((x) => [x.field, x.winner]), [[
      "jobTitle",
      policy === "crm-wins" ? "crm" : "outlook",
    ]]);
    const now = h.crm.get(c.id)!;
    assert.equal(now.middleName, "CRM middle");
    assert.equal(now.company, "Outlook company");
    assert.equal(now.jobTitle, policy === "crm-wins" ? "CRM job" : "Outlook job");
    await h.assertInStep();
  }
});

Deno.test("runContactSync() dry run previews links, creates, probable duplicates and invalid items without writing (A9)", async () => {
  const h = harness();
  const linked = h.addCrm({ familyName: "Rossi", emails: [{ address: "r@x.example", kind: "work" }] });
  const toOutlook = h.addCrm({ familyName: "Neu", emails: [{ address: "bad@", kind: "work" }] });
  h.addCrm({ givenName: "Dup", emails: [{ address: "d@x.example", kind: "work" }] });
  h.addCrm({ givenName: "Dup", emails: [{ address: "d@x.example", kind: "work" }] });
  const g = h.addOutlook({ surname: "Rossi", emailAddresses: [{ address: "r@x.example" }] });
  const toCrm = h.addOutlook({ surname: "Outlook only" });
  h.addOutlook({ givenName: "Dup", emailAddresses: [{ address: "d@x.example" }] });
  const writes = [h.crm.writes, h.graph.writes, h.links.writes];
  const r = await h.run({ dryRun: true });
  assert.equal(r.status, "dry_run");
  assert.deepEqual([h.crm.writes, h.graph.writes, h.links.writes], writes, "nothing written");
  assert.deepEqual(r.preview.linked.map((l) => [l.crmId, l.graphId]), [[linked.id, g.id]]);
  assert.deepEqual(r.preview.createInOutlook, [toOutlook.id]);
  assert.deepEqual(r.preview.createInCrm, [toCrm.id]);
  assert.equal(r.preview.probableDuplicates.length > 0, true);
  assert.deepEqual(r.preview.invalid.map((w) => [w.crmId, w.code]), [[toOutlook.id, "invalid_email"]]);
});

Deno.test("runContactSync() pauses a run that would archive more than the allowed share of the user's contacts (P6)", async () => {
  const h = harness({ safety: { maxDestructiveShare: 0.25, minDestructiveCount: 3 } });
  for (let i = 0; i < 8; i++) h.addCrm({ familyName: `N${i}` });
  await h.syncTwice();
  for (const g of h.graph.all().slice(0, 4)) h.graph.userDelete(g.id);
  const paused = await h.run();
  assert.equal(paused.status, "paused");
  assert.ok(h.crm.all().every((c) => !c.archived), "nothing archived while paused");
  const again = await h.run();
  assert.equal(again.status, "paused", "the cursor did not move: the deletes are still seen");
  const confirmed = await h.run({ confirmed: true });
  assert.equal(confirmed.done.archiveInCrm, 4);
});

Deno.test("runContactSync() refuses to act when the CRM side suddenly looks empty (P6)", async () => {
  const h = harness({ safety: { maxDestructiveShare: 0.25, minDestructiveCount: 2 } });
  const ids = [h.addCrm({ familyName: "A" }).id, h.addCrm({ familyName: "B" }).id];
  await h.syncTwice();
  for (const id of ids) h.crm.setFlag(id, USER, false);
  const r = await h.run();
  assert.equal(r.status, "refused");
  assert.match(r.reason ?? "", /CRM lists none/);
  assert.equal(h.graph.all().length, 2, "no mass delete");
});

Deno.test("runContactSync() refuses to archive when the Outlook folder was emptied, seen through a delta (P6)", async () => {
  const h = harness();
  for (let i = 0; i < 12; i++) h.addCrm({ familyName: `E${i}` });
  await h.syncTwice();
  for (const g of h.graph.all()) h.graph.userDelete(g.id);
  const r = await h.run();
  assert.equal(r.complete, false, "an incremental read");
  assert.equal(r.status, "refused");
  assert.match(r.reason ?? "", /Outlook side is empty/);
  assert.equal(h.crm.all().filter((c) => c.archived).length, 0, "no mass archive");
  const confirmed = await h.run({ confirmed: true });
  assert.equal(confirmed.status, "completed");
  assert.equal(h.crm.all().filter((c) => c.archived).length, 12);
});

Deno.test("runContactSync() deletes a user's only contact when the CRM deleted it: fewer removals than the minimum never stop (P6)", async () => {
  const h = harness({ safety: { maxDestructiveShare: 0.25, minDestructiveCount: 10 } });
  const only = h.addCrm({ familyName: "Only" });
  await h.syncTwice();
  h.crm.remove(only.id);
  const r = await h.syncTwice();
  assert.equal(r.status, "completed");
  assert.equal(r.done.deleteInGraph, 1);
  assert.equal(h.graph.all().length, 0);
});

Deno.test("runContactSync() over an unchanged folder makes at most 2 Graph requests and writes nothing", async () => {
  const h = harness();
  for (let i = 0; i < 50; i++) h.addCrm({ familyName: `N${i}` });
  for (let i = 0; i < 50; i++) h.addOutlook({ surname: `O${i}` });
  await h.syncTwice();
  const before = h.graph.requests;
  const r = await h.run();
  assert.deepEqual(r.planned, {});
  assert.ok(h.graph.requests - before <= 2, `${h.graph.requests - before} requests`);
});
