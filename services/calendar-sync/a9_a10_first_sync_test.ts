// A9: the first sync links appointments already on both sides (same subject and start) instead of
// copying them, and stamps the event with the CRM id. A10: with the tenant's confirmation switch,
// the first sync waits until the user confirms; the preview shows what it would do.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at, graphAt } from "./testdata/times.ts";

Deno.test("A9 the first sync links what exists on both sides, never copies it", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Viewing Kastanienallee",
    start: at(3, "10:00"),
    end: at(3, "11:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  await w.calendar.seedEvents(anna.upn, [{
    subject: "Viewing Kastanienallee",
    start: graphAt(3, "10:00"),
    end: graphAt(3, "11:00"),
  }], { calendarId: anna.calendarId });
  await w.syncNow("anna");
  assert.equal((await w.outlook("anna")).length, 1, "no copy in Outlook");
  assert.equal((await w.crmAdmin.appointments(TENANT)).length, 1, "no copy in the CRM");
  assert.equal((await w.api("GET", `/v1/users/anna/calendar/items/${appt.id}`)).body.status, "synced");
  await w.assertQuiet();
});

Deno.test("A10 the first sync waits for the user's confirmation; the preview shows it", async () => {
  await using w = await startCalendarWorld({ firstSyncNeedsConfirmation: true });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Awaiting confirmation",
    start: at(3, "10:00"),
    end: at(3, "11:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  const run = await w.syncNow("anna");
  assert.equal(run.status, "awaiting_confirmation");
  assert.equal((await w.outlook("anna")).length, 0, "nothing written before confirmation");
  const preview = (await w.api("GET", "/v1/users/anna/calendar/preview")).body;
  assert.ok(JSON.stringify(preview).includes(appt.id));

  assert.equal((await w.api("POST", "/v1/users/anna/calendar/confirm")).status, 202);
  await w.settle();
  assert.equal((await w.outlook("anna")).length, 1, "written once confirmed");
  await w.assertQuiet();
});
