// End-to-end scenarios through NATS, real Postgres and the Microsoft 365 emulator (C1–C9, A9).
import assert from "node:assert/strict";
import { startContactsWorld, USER } from "./testdata/harness.ts";

Deno.test("C3: a CRM contact flagged for the user reaches the Outlook folder; a second run writes nothing", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContact("t1", {
    givenName: "Giulia",
    familyName: "Rossi",
    company: "Rossi Immobili",
    emails: [{ address: "giulia@rossi.example", kind: "work" }],
    phones: [{ number: "+39 02 1234567", kind: "business" }],
    syncUserIds: [USER],
  });
  await w.crmAdmin.createContact("t1", { givenName: "Not", familyName: "Flagged" });
  const run = await w.syncNow();
  assert.equal(run.status, "completed", JSON.stringify(run));
  const outlook = await w.outlook();
  assert.deepEqual(outlook.map((c) => c.displayName), ["Giulia Rossi"]);
  assert.equal(outlook[0]!.companyName, "Rossi Immobili");
  await w.assertQuiet();
});
