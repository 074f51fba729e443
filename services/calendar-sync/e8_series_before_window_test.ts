// E8 with E3: a series that began before the window syncs as one series (its master keeps its real
// start), both ways; only its occurrences inside the window are compared.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { day, plusDays } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

Deno.test("E8 a series that began before the window syncs as one series, both ways", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const began = day(-30);
  await w.crmAdmin.createAppointment(TENANT, {
    subject: "Daily check-in",
    start: { dateTime: `${began}T08:30:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${began}T08:45:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: {
      pattern: { type: "daily", interval: 1 },
      range: { type: "endDate", startDate: began, endDate: day(10) },
    },
  });
  const outlookBegan = day(-20);
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Weekly report",
    start: { dateTime: `${outlookBegan}T17:00:00`, timeZone: "W. Europe Standard Time" },
    end: { dateTime: `${outlookBegan}T17:30:00`, timeZone: "W. Europe Standard Time" },
    recurrence: {
      pattern: { type: "daily", interval: 7 },
      range: { type: "noEnd", startDate: outlookBegan },
    },
  });
  await w.syncNow("anna");
  const found = await masters(w, "anna", "Daily check-in");
  assert.equal(found.length, 1, "one master");
  assert.equal(found[0].recurrence.range.startDate, began, "the master keeps the series' real start");
  assert.equal((await instances(w, "anna", found[0].id, day(0), plusDays(day(0), 11))).length, 11);
  const report = (await w.crmAdmin.appointments(TENANT)).filter((a) => a.subject === "Weekly report");
  assert.equal(report.length, 1, "one CRM series");
  assert.equal(report[0]!.series!.range.startDate, outlookBegan);
  assert.equal(report[0]!.series!.range.type, "noEnd");
  await w.assertQuiet();
});
