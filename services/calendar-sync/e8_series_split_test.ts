// E8: "this and following" in Outlook (the series ends, a new one starts) becomes the same in the
// CRM without duplicating any occurrence; and the same split made in the CRM reaches Outlook.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { nextWeekday, plusDays } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

const W = "W. Europe Standard Time";

Deno.test("E8 this-and-following split in Outlook becomes two CRM series, no occurrence doubled", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const mon = nextWeekday("monday", 1);
  const master = await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Stand-up",
    start: { dateTime: `${mon}T09:00:00`, timeZone: W },
    end: { dateTime: `${mon}T09:15:00`, timeZone: W },
    recurrence: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
      range: { type: "numbered", startDate: mon, numberOfOccurrences: 6 },
    },
  });
  await w.syncNow("anna");

  // Outlook's "this and following" from the 4th Monday: the series ends before it, a new one at 10:00 starts.
  const split = plusDays(mon, 21);
  await w.outlookClient("anna").api(`/me/events/${master.id}`).patch({
    recurrence: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
      range: { type: "endDate", startDate: mon, endDate: plusDays(split, -1) },
    },
  });
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Stand-up",
    start: { dateTime: `${split}T10:00:00`, timeZone: W },
    end: { dateTime: `${split}T10:15:00`, timeZone: W },
    recurrence: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
      range: { type: "endDate", startDate: split, endDate: plusDays(split, 14) },
    },
  });
  await w.syncNow("anna");
  const series = (await w.crmAdmin.appointments(TENANT)).filter((a) => a.subject === "Stand-up")
    .sort((a, b) => a.start.dateTime.localeCompare(b.start.dateTime));
  assert.equal(series.length, 2, "the old series and the new one");
  assert.equal(series[0]!.series!.range.endDate, plusDays(split, -1));
  assert.equal(series[1]!.start.dateTime.slice(0, 16), `${split}T10:00`);

  const all = [];
  for (const m of await masters(w, "anna", "Stand-up")) {
    all.push(...await instances(w, "anna", m.id, mon, plusDays(mon, 60)));
  }
  assert.deepEqual(all.map((i) => `${i.date} ${i.time}`).sort(), [
    `${mon} 09:00`,
    `${plusDays(mon, 7)} 09:00`,
    `${plusDays(mon, 14)} 09:00`,
    `${split} 10:00`,
    `${plusDays(split, 7)} 10:00`,
    `${plusDays(split, 14)} 10:00`,
  ], "each Monday once");
  await w.assertQuiet();
});

Deno.test("E8 a split made in the CRM (series ended, a new one created) reaches Outlook the same way", async () => {
  await using w = await startCalendarWorld();
  const thu = nextWeekday("thursday", 1);
  const weekly = { type: "weekly" as const, interval: 1, daysOfWeek: ["thursday" as const] };
  const old = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Team lunch",
    start: { dateTime: `${thu}T12:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${thu}T13:00:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: { pattern: weekly, range: { type: "numbered", startDate: thu, numberOfOccurrences: 4 } },
  });
  await w.syncNow("anna");
  const split = plusDays(thu, 14);
  await w.crmAdmin.updateAppointment(TENANT, old.id, {
    series: {
      pattern: weekly,
      range: { type: "endDate", startDate: thu, endDate: plusDays(split, -1) },
      exceptions: [],
    },
  });
  await w.crmAdmin.createAppointment(TENANT, {
    subject: "Team lunch",
    start: { dateTime: `${split}T12:30:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${split}T13:30:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: { pattern: weekly, range: { type: "numbered", startDate: split, numberOfOccurrences: 2 } },
  });
  await w.syncNow("anna");
  const all = [];
  for (const m of await masters(w, "anna", "Team lunch")) {
    all.push(...await instances(w, "anna", m.id, thu, plusDays(thu, 40)));
  }
  assert.deepEqual(all.map((i) => `${i.date} ${i.time}`).sort(), [
    `${thu} 12:00`,
    `${plusDays(thu, 7)} 12:00`,
    `${split} 12:30`,
    `${plusDays(split, 7)} 12:30`,
  ]);
  await w.assertQuiet();
});
