// End-to-end through the CRM simulator, the Microsoft 365 emulator, contacts-sync and dedupe (D1–D4).
import assert from "node:assert/strict";
import { jetstream } from "@nats-io/jetstream";
import { DedupeReportPublishedV1 } from "@app/shared/contract";
import { waitFor } from "@app/shared/testing";
import { startDedupeWorld, TENANT } from "./testdata/world.ts";

const lorenzo = {
  givenName: "Lorenzo",
  familyName: "Ferrari",
  company: "Ferrari & Figli S.r.l.",
  emails: [{ address: "lorenzo.ferrari@ferrari-figli.example", kind: "work" as const }],
  phones: [{ number: "+39 333 123 4567", kind: "mobile" as const }],
  birthday: "1971-04-12",
};
// The same man, entered again: nickname-free typo, national phone, e-mail case, day/month swapped.
const lorenzoAgain = {
  givenName: "Lorenzo",
  familyName: "Ferarri",
  emails: [{ address: "Lorenzo.Ferrari@Ferrari-Figli.example", kind: "work" as const }],
  phones: [{ number: "0039 333 1234567", kind: "mobile" as const }, {
    number: "+39 02 7654321",
    kind: "business" as const,
  }],
  birthday: "1971-12-04",
  jobTitle: "Amministratore",
};
const others = [
  {
    givenName: "Giulia",
    familyName: "Bianchi",
    emails: [{ address: "casa.bianchi@libero.it", kind: "home" as const }],
  },
  // Giulia's husband: same e-mail and surname, another person (a household, D3).
  { givenName: "Marco", familyName: "Bianchi", emails: [{ address: "casa.bianchi@libero.it", kind: "home" as const }] },
  { givenName: "Anna", familyName: "Schulz", emails: [{ address: "anna@schulz.example", kind: "work" as const }] },
];

Deno.test("D1: a scan finds a planted duplicate, explains it, leaves the household out and publishes the report", async () => {
  await using w = await startDedupeWorld({ contactsSync: false });
  const a = await w.crmAdmin.createContact(TENANT, lorenzo);
  const b = await w.crmAdmin.createContact(TENANT, lorenzoAgain);
  for (const o of others) await w.crmAdmin.createContact(TENANT, o);
  const scan = await w.scan();
  assert.equal(scan.status, "completed", JSON.stringify(scan));
  assert.deepEqual(
    scan.stats.linksUnavailable,
    ["contacts-sync", "calendar-sync"],
    "no sync service: no link evidence",
  );
  const groups = await w.groups("contact");
  assert.equal(groups.length, 1, JSON.stringify(groups));
  assert.deepEqual(groups[0].recordIds.sort(), [a.id, b.id].sort());
  assert.ok(groups[0].score >= 0.9 && groups[0].score <= 1);
  const texts = groups[0].pairs[0].reasons.map((r: { text: string }) => r.text);
  for (const expected of ["e-mail equal", "phone same mobile number", "birthday day and month swapped"]) {
    assert.ok(texts.includes(expected), `${expected} in ${texts.join(" | ")}`);
  }
  assert.ok(texts.some((t: string) => t.startsWith("family name similar")), texts.join(" | "));

  const stream = await jetstream(w.nc).streams.get(w.catalog.streams.dedupeReports.name);
  const msg = await stream.getMessage({ last_by_subj: w.catalog.subjects.dedupe.reportPublished });
  const event = DedupeReportPublishedV1.parse(msg!.json());
  assert.equal(event.data.scanId, scan.id);
  assert.equal(event.tenantId, TENANT);
  assert.deepEqual(event.data.groups.map((g) => g.groupId), [groups[0].id]);
});

Deno.test("D1: a scan that fails leaves the previous report in place", async () => {
  await using w = await startDedupeWorld({ contactsSync: false });
  await w.crmAdmin.createContact(TENANT, lorenzo);
  await w.crmAdmin.createContact(TENANT, lorenzoAgain);
  const first = await w.scan();
  assert.equal(first.status, "completed");
  await w.crmAdmin.injectFault({ rpc: "contactsList", mode: "error", count: 1, tenantId: TENANT });
  const failed = await w.scan();
  assert.equal(failed.status, "failed");
  assert.match(failed.error, /injected fault/);
  const report = (await w.api("GET", "/v1/duplicates/report")).body;
  assert.equal(report.scan.id, first.id, "the report is the last completed scan's");
  assert.equal(report.lastScan.id, failed.id);
  assert.equal(report.groups.length, 1);
});

Deno.test("D1/D2: every route needs the tenant's key, and malformed decisions are refused naming the field, changing nothing", async () => {
  await using w = await startDedupeWorld({ contactsSync: false });
  const a = await w.crmAdmin.createContact(TENANT, lorenzo);
  await w.crmAdmin.createContact(TENANT, lorenzoAgain);
  assert.equal((await w.api("GET", "/v1/duplicates/report", undefined, "csk_wrong")).status, 401);
  await w.scan();
  const [g] = await w.groups();
  const crmWrites = (await w.writes()).crm;
  const cases: Array<[unknown, string]> = [
    [{ survivorId: "con-404" }, "survivorId"],
    [{ survivorId: a.id, colour: "red" }, "(root)"],
    [{ survivorId: a.id, fields: { shoeSize: a.id } }, "fields.shoeSize"],
    [{ survivorId: a.id, fields: { phones: "con-404" } }, "fields.phones"],
    [{ survivorId: a.id, values: { phones: [{ number: "1", kind: "fax" }] } }, "values.phones.0.kind"],
  ];
  for (const [body, path] of cases) {
    const r = await w.api("POST", `/v1/duplicates/groups/${g.id}/merge`, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.ok(
      r.body.issues.some((i: { path: string }) => i.path === path),
      `${path} in ${JSON.stringify(r.body.issues)}`,
    );
  }
  const del = await w.api("POST", `/v1/duplicates/groups/${g.id}/delete`, { recordId: "con-404" });
  assert.equal(del.status, 400);
  assert.equal(del.body.issues[0].path, "recordId");
  assert.equal((await w.writes()).crm, crmWrites, "nothing reached the CRM");
  assert.equal((await w.groups()).length, 1, "the group is still open");
});

Deno.test("D2/D3: merge reaches the CRM and leaves each mailbox one updated copy; undo brings both back", async () => {
  await using w = await startDedupeWorld();
  const a = await w.crmAdmin.createContact(TENANT, { ...lorenzo, syncUserIds: ["u1"] });
  const b = await w.crmAdmin.createContact(TENANT, { ...lorenzoAgain, syncUserIds: ["u1", "u2"] });
  await w.syncAll();
  assert.equal((await w.outlook("u1")).length, 2);
  assert.equal((await w.outlook("u2")).length, 1);
  await w.scan();
  const [g] = await w.groups("contact");
  assert.deepEqual(g.recordIds.sort(), [a.id, b.id].sort());

  const merged = await w.api("POST", `/v1/duplicates/groups/${g.id}/merge`, {
    survivorId: a.id,
    fields: { phones: b.id, jobTitle: b.id },
  });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  assert.equal(merged.body.status, "applied");
  const survivor = await w.crmAdmin.contact(TENANT, a.id);
  assert.equal(survivor.jobTitle, "Amministratore");
  assert.deepEqual(survivor.phones.map((p) => p.number), lorenzoAgain.phones.map((p) => p.number));
  assert.deepEqual(survivor.syncUserIds.sort(), ["u1", "u2"]);
  assert.equal((await w.crmAdmin.contact(TENANT, b.id)).archived, true);

  // The CRM's events make contacts-sync bring each mailbox in line.
  await w.settle();
  for (const u of ["u1", "u2"] as const) {
    await waitFor(`${u}'s Outlook to hold one updated copy`, async () => {
      const copies = await w.outlook(u);
      return copies.length === 1 && copies[0]!.jobTitle === "Amministratore" && copies[0]!.surname === "Ferrari";
    }, { timeoutMs: 60_000 });
  }
  const before = await w.writes();
  await w.syncAll();
  await w.syncAll();
  assert.deepEqual(await w.writes(), before, "two further syncs change nothing");
  for (const u of ["u1", "u2"] as const) {
    assert.equal((await w.outlook(u)).length, 1, `no loser back or third copy for ${u}`);
  }

  const undone = await w.api("POST", `/v1/duplicates/decisions/${merged.body.id}/undo`);
  assert.equal(undone.status, 200, JSON.stringify(undone.body));
  assert.equal(undone.body.status, "undone");
  assert.equal((await w.crmAdmin.contact(TENANT, a.id)).jobTitle, "");
  assert.deepEqual((await w.crmAdmin.contact(TENANT, a.id)).syncUserIds, ["u1"]);
  assert.equal((await w.crmAdmin.contact(TENANT, b.id)).archived, false);
  await w.settle();
  await waitFor("both copies back in u1's Outlook and B in u2's", async () => {
    const u1 = (await w.outlook("u1")).map((c) => c.surname).sort();
    const u2 = (await w.outlook("u2")).map((c) => c.surname);
    return JSON.stringify(u1) === JSON.stringify(["Ferarri", "Ferrari"]) &&
      JSON.stringify(u2) === JSON.stringify(["Ferarri"]);
  }, { timeoutMs: 60_000 });
  const again = await w.writes();
  await w.syncAll();
  assert.deepEqual(await w.writes(), again, "quiet after the undo too");
});

Deno.test("D2: a merge the CRM applied but whose reply was lost is finished by repeating the request, never applied twice", async () => {
  await using w = await startDedupeWorld({ contactsSync: false, dedupeEnv: { CRM_TIMEOUT_MS: "1500" } });
  const a = await w.crmAdmin.createContact(TENANT, lorenzo);
  const b = await w.crmAdmin.createContact(TENANT, lorenzoAgain);
  await w.scan();
  const [g] = await w.groups();
  await w.crmAdmin.injectFault({ rpc: "contactsMerge", mode: "lost_reply", count: 1, tenantId: TENANT });
  const first = await w.api("POST", `/v1/duplicates/groups/${g.id}/merge`, { survivorId: a.id });
  assert.equal(first.status, 503, JSON.stringify(first.body));
  const again = await w.api("POST", `/v1/duplicates/groups/${g.id}/merge`, { survivorId: a.id });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.status, "applied");
  const merges = (await w.crmAdmin.requests({ rpc: "contactsMerge" })).map((r) => r.outcome);
  assert.deepEqual(merges, ["fault", "replayed"], "the retry was answered from the first merge");
  assert.equal((await w.crmAdmin.contact(TENANT, a.id)).version, a.version + 1, "the survivor changed once");
  assert.equal((await w.crmAdmin.contact(TENANT, b.id)).archived, true);
});

Deno.test("P5: every dedupe route is in its OpenAPI description, behind the tenant key", async () => {
  await using w = await startDedupeWorld({ contactsSync: false });
  const doc = await (await fetch(`${w.dedupe!.url}/openapi.json`)).json();
  const paths = Object.keys(doc.paths).filter((p) => p.startsWith("/v1/duplicates"));
  assert.deepEqual(paths.sort(), [
    "/v1/duplicates/decisions/{decisionId}",
    "/v1/duplicates/decisions/{decisionId}/undo",
    "/v1/duplicates/groups/{groupId}",
    "/v1/duplicates/groups/{groupId}/delete",
    "/v1/duplicates/groups/{groupId}/keep",
    "/v1/duplicates/groups/{groupId}/merge",
    "/v1/duplicates/report",
    "/v1/duplicates/scans",
    "/v1/duplicates/scans/{scanId}",
  ]);
  for (const p of paths) {
    for (const op of Object.values(doc.paths[p]) as Array<{ security?: unknown[] }>) assert.ok(op.security?.length);
  }
  assert.equal((await w.api("POST", "/v1/duplicates/scans", undefined, "csk_nope")).status, 401);
});
