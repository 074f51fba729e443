// E5: the organizer is fixed in Outlook; if the CRM removes the organizer from the appointment, its
// sync is suspended and status says so; adding them back resumes it.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("E5 the organizer removed in the CRM suspends the appointment, re-added resumes it", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben"] });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Valuation",
    start: at(4, "15:00"),
    end: at(4, "16:00"),
    organizerId: "anna",
    participantIds: ["anna", "ben"],
  });
  await w.syncAll();
  await w.crmAdmin.updateAppointment(TENANT, appt.id, { participantIds: ["ben"] });
  await w.crmAdmin.updateAppointment(TENANT, appt.id, { subject: "Valuation (while suspended)" });
  await w.syncAll();
  const item = await w.api("GET", `/v1/users/ben/calendar/items/${appt.id}`);
  assert.equal(item.status, 200);
  assert.equal(item.body.status, "suspended");
  assert.ok((await w.status("ben")).runs[0].summary.suspended.includes(appt.id));
  assert.ok(!(await w.outlook("ben")).some((e) => e.subject === "Valuation (while suspended)"));
  await w.assertQuiet();

  await w.crmAdmin.updateAppointment(TENANT, appt.id, { participantIds: ["anna", "ben"] });
  await w.syncAll();
  assert.equal((await w.api("GET", `/v1/users/ben/calendar/items/${appt.id}`)).body.status, "synced");
  assert.ok((await w.outlook("ben")).some((e) => e.subject === "Valuation (while suspended)"), "resumed");
  await w.assertQuiet();
});
