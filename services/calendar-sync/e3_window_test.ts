// E3: the sync covers [start of today − includePastDays, horizon]; nothing outside it is written,
// and a new window (more past days, or a new day) is read afresh without rewriting anything.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at, graphAt } from "./testdata/times.ts";

Deno.test("E3 only the window syncs; a wider window adds what it now covers and rewrites nothing", async () => {
  await using w = await startCalendarWorld({ env: { CALENDAR_HORIZON_DAYS: "30" } });
  const anna = w.agent("anna");
  const appt = (subject: string, days: number) =>
    w.crmAdmin.createAppointment(TENANT, {
      subject,
      start: at(days, "10:00"),
      end: at(days, "11:00"),
      organizerId: "anna",
      participantIds: ["anna"],
    });
  await appt("Last week", -7);
  await appt("Next week", 7);
  await appt("In six weeks", 42);
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Outlook, in two months",
    start: graphAt(60, "09:00"),
    end: graphAt(60, "10:00"),
  });
  await w.syncNow("anna");
  const subjects = async () => (await w.outlook("anna")).map((e) => String(e.subject)).sort();
  assert.deepEqual(await subjects(), ["Next week", "Outlook, in two months"]);
  assert.ok(!(await w.crmAdmin.appointments(TENANT)).some((a) => a.subject === "Outlook, in two months"));
  await w.assertQuiet();

  // The user now includes 10 past days: a new window, read in full; only "Last week" is written.
  const writes = await w.graphWrites();
  const ctx = w.contexts.get("anna")!;
  ctx.settings.calendar.includePastDays = 10;
  const run = await w.syncNow("anna");
  assert.equal(run.mode, "complete");
  assert.deepEqual(await subjects(), ["Last week", "Next week", "Outlook, in two months"]);
  assert.equal(await w.graphWrites(), writes + 1, "one create, nothing rewritten");
  await w.assertQuiet();
});
