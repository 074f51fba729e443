// E9: by default contacts and resources go into the body and an extended property, never as
// attendees: a 60-day back-fill with external contacts sends no mail at all.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("E9 a 60-day back-fill with external contacts leaves the mail log empty", async () => {
  await using w = await startCalendarWorld({ includePastDays: 60 });
  const buyer = await w.crmAdmin.createContact(TENANT, {
    givenName: "Petra",
    familyName: "Käufer",
    emails: [{ address: "petra@example.org" }],
  });
  const seller = await w.crmAdmin.createContact(TENANT, {
    givenName: "Sven",
    familyName: "Verkäufer",
    emails: [{ address: "sven@example.net" }],
  });
  for (const [days, subject] of [[-55, "Past viewing"], [-10, "Recent viewing"], [5, "Next viewing"]] as const) {
    await w.crmAdmin.createAppointment(TENANT, {
      subject,
      start: at(days, "10:00"),
      end: at(days, "11:00"),
      organizerId: "anna",
      participantIds: ["anna"],
      contacts: [{ contactId: buyer.id }, { contactId: seller.id, optional: true }],
      resources: [{ id: "room-1", name: "Meeting room", email: "room1@example.com" }],
    });
  }
  await w.syncNow("anna");
  const events = await w.outlook("anna");
  assert.equal(events.length, 3, "the back-fill reached 55 days back");
  for (const e of events) {
    assert.deepEqual(e.attendees ?? [], [], `${e.subject}: no attendees`);
    assert.match(JSON.stringify(e.body), /Petra Käufer/, `${e.subject}: contacts in the body`);
  }
  assert.deepEqual(await w.mails(), [], "no mail went out");
  await w.assertQuiet();
  assert.deepEqual(await w.mails(), []);
});
