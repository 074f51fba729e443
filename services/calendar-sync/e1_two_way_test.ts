// E1: calendar sync is always two-way: a CRM appointment reaches the chosen calendar, an Outlook
// event reaches the CRM, and edits travel both ways; a second run writes nothing.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at, graphAt } from "./testdata/times.ts";

Deno.test("E1 appointments sync both ways, edits included, and a second run writes nothing", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const crmAppt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Viewing Lindenstraße 4",
    location: "Lindenstraße 4, Berlin",
    start: at(2, "10:00"),
    end: at(2, "11:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  const outlookEvent = await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Notary appointment",
    start: graphAt(3, "14:00"),
    end: graphAt(3, "15:00"),
  });
  await w.syncNow("anna");

  const events = await w.outlook("anna");
  assert.ok(events.some((e) => e.subject === "Viewing Lindenstraße 4"), "the CRM appointment is in Outlook");
  const fromOutlook = (await w.crmAdmin.appointments(TENANT)).find((a) => a.subject === "Notary appointment");
  assert.ok(fromOutlook, "the Outlook event is in the CRM");
  assert.equal(fromOutlook.organizerId, "anna");
  assert.equal(fromOutlook.start.dateTime.slice(11, 16), "14:00");

  // Edits both ways.
  await w.crmAdmin.updateAppointment(TENANT, crmAppt.id, { subject: "Viewing Lindenstraße 4 (moved)" });
  await w.outlookClient("anna").api(`/me/events/${outlookEvent.id}`).patch({ location: { displayName: "Notariat" } });
  await w.syncNow("anna");
  assert.ok((await w.outlook("anna")).some((e) => e.subject === "Viewing Lindenstraße 4 (moved)"));
  assert.equal((await w.crmAdmin.appointment(TENANT, fromOutlook.id)).location, "Notariat");

  await w.assertQuiet();
});
