// End-to-end: keep both (D3), duplicates from the sync links (D4), appointments (D1, D2), schedule (D1).
import assert from "node:assert/strict";
import { waitFor } from "@app/shared/testing";
import { startDedupeWorld, TENANT } from "./testdata/world.ts";

const anna = {
  givenName: "Anna",
  familyName: "Weber",
  emails: [{ address: "anna.weber@web.de", kind: "home" as const }],
  phones: [{ number: "+49 171 2345678", kind: "mobile" as const }],
};

Deno.test("D3: keep both is remembered, and re-proposed only when a compared field changes", async () => {
  await using w = await startDedupeWorld({ contactsSync: false });
  const a = await w.crmAdmin.createContact(TENANT, anna);
  await w.crmAdmin.createContact(TENANT, { ...anna, givenName: "ANNA", birthday: "1980-05-06" });
  await w.scan();
  const [g] = await w.groups();
  const kept = await w.api("POST", `/v1/duplicates/groups/${g.id}/keep`, {});
  assert.equal(kept.status, 200, JSON.stringify(kept.body));
  assert.equal((await w.api("POST", `/v1/duplicates/groups/${g.id}/keep`, {})).status, 409, "decided once");
  await w.scan();
  assert.deepEqual(await w.groups(), [], "not proposed again");
  await w.crmAdmin.updateContact(TENANT, a.id, { notes: "called on Monday" });
  await w.scan();
  assert.deepEqual(await w.groups(), [], "a field that is not compared is no new evidence");
  await w.crmAdmin.updateContact(TENANT, a.id, { birthday: "1980-05-06" });
  await w.scan();
  assert.equal((await w.groups()).length, 1, "a changed field re-opens the question");
});

Deno.test("D2: delete one removes the record in the CRM and from the Outlook that had it", async () => {
  await using w = await startDedupeWorld();
  await w.crmAdmin.createContact(TENANT, { ...anna, syncUserIds: ["u1"] });
  const b = await w.crmAdmin.createContact(TENANT, { ...anna, familyName: "Webber", syncUserIds: ["u1"] });
  await w.syncNow("u1");
  await w.scan();
  const [g] = await w.groups();
  const r = await w.api("POST", `/v1/duplicates/groups/${g.id}/delete`, { recordId: b.id });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(!(await w.crmAdmin.contacts(TENANT)).some((c) => c.id === b.id));
  await w.settle();
  await waitFor("one copy in u1's Outlook", async () => (await w.outlook("u1")).length === 1, { timeoutMs: 60_000 });
  assert.equal((await w.outlook("u1"))[0]!.surname, "Weber");
});

Deno.test("D4: a duplicate the sync created (an echo of its own write) is found from the links with top confidence", async () => {
  await using w = await startDedupeWorld();
  // Sparse on purpose: a name alone is not enough for the model, the links are.
  const a = await w.crmAdmin.createContact(TENANT, { givenName: "Ilaria", familyName: "Conti", syncUserIds: ["u1"] });
  await w.syncNow("u1");
  const [written] = await w.outlook("u1");
  // A copy without our id stamp (export/import, another device) lands in the folder.
  await w.m365.emu.admin.bulkContacts(w.mailboxes.u1.upn, [{
    givenName: written!.givenName,
    surname: written!.surname,
  }], w.mailboxes.u1.folderId);
  await w.syncNow("u1");
  const echo = (await w.crmAdmin.contacts(TENANT)).find((c) => c.id !== a.id && c.familyName === "Conti")!;
  assert.ok(echo, "the sync imported the copy as a new CRM contact");
  const scan = await w.scan();
  assert.deepEqual(scan.stats.linksUnavailable, ["calendar-sync"], "calendar-sync is not running: no evidence from it");
  const [g] = await w.groups("contact");
  assert.equal(g.source, "links");
  assert.equal(g.score, 1);
  assert.deepEqual(g.recordIds, [a.id, echo.id]);
  assert.match(g.pairs[0].reasons[0].text, /came back from Outlook as a new record/);
});

Deno.test("D1/D2: duplicate appointments across zones are found and merged in the CRM, and the merge can be undone", async () => {
  await using w = await startDedupeWorld({ contactsSync: false });
  const con = await w.crmAdmin.createContact(TENANT, anna);
  const x = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Notartermin Kaufvertrag",
    start: { dateTime: "2026-04-02T14:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-04-02T15:00", timeZone: "Europe/Berlin" },
    organizerId: "u1",
    participantIds: ["u1"],
    contacts: [{ contactId: con.id }],
  });
  const y = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Notartermin  Kaufvertrag",
    // The same hour entered from London (both on summer time).
    start: { dateTime: "2026-04-02T13:00", timeZone: "Europe/London" },
    end: { dateTime: "2026-04-02T14:00", timeZone: "Europe/London" },
    organizerId: "u1",
    participantIds: ["u1", "u2"],
    contacts: [{ contactId: con.id }],
  });
  await w.scan();
  const [g] = await w.groups("appointment");
  assert.deepEqual(g.recordIds.sort(), [x.id, y.id].sort());
  assert.ok(g.pairs[0].reasons.some((r: { text: string }) => r.text.startsWith("same start and end")));
  const merged = await w.api("POST", `/v1/duplicates/groups/${g.id}/merge`, { survivorId: x.id });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  const left = await w.crmAdmin.appointments(TENANT);
  assert.deepEqual(left.map((a) => a.id), [x.id]);
  assert.deepEqual(left[0]!.participantIds.sort(), ["u1", "u2"], "everyone who took part still does");
  const undone = await w.api("POST", `/v1/duplicates/decisions/${merged.body.id}/undo`);
  assert.equal(undone.status, 200, JSON.stringify(undone.body));
  assert.deepEqual((await w.crmAdmin.appointments(TENANT)).map((a) => a.id).sort(), [x.id, y.id].sort());
});

Deno.test("D1: scans are scheduled per tenant", async () => {
  await using w = await startDedupeWorld({
    contactsSync: false,
    dedupeEnv: { SCAN_CHECK_MS: "200", SCAN_INTERVAL_MS: "3600000" },
  });
  await w.crmAdmin.createContact(TENANT, anna);
  await w.crmAdmin.createContact(TENANT, { ...anna, familyName: "Webber" });
  const report = await waitFor("a scheduled scan's report", async () => {
    const r = (await w.api("GET", "/v1/duplicates/report")).body;
    return r.scan?.status === "completed" && r;
  }, { timeoutMs: 30_000 });
  assert.equal(report.scan.trigger, "scheduled");
  assert.equal(report.groups.length, 1);
});
