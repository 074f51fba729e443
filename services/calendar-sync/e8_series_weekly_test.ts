// E8: a weekly series on two weekdays whose single occurrence gets a new subject, both ways; and a
// weekly series across a DST change keeps its wall-clock time in its zone, both ways.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { nextWeekday, plusDays } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

const weekly = (start: string, count: number) => ({
  pattern: { type: "weekly" as const, interval: 1, daysOfWeek: ["tuesday" as const, "thursday" as const] },
  range: { type: "numbered" as const, startDate: start, numberOfOccurrences: count },
});

Deno.test("E8 weekly on Tuesday and Thursday, one occurrence renamed, both ways", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const tue = nextWeekday("tuesday", 1);
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Office hours",
    start: { dateTime: `${tue}T08:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${tue}T09:00:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: {
      ...weekly(tue, 6),
      exceptions: [{ originalStart: `${plusDays(tue, 2)}T08:00:00`, override: { subject: "Office hours (notary)" } }],
    },
  });
  await w.syncNow("anna");
  const [master] = await masters(w, "anna", "Office hours");
  const got = await instances(w, "anna", master.id, tue, plusDays(tue, 21));
  assert.deepEqual(got.map((i) => [i.date, i.subject]), [
    [tue, "Office hours"],
    [plusDays(tue, 2), "Office hours (notary)"],
    [plusDays(tue, 7), "Office hours"],
    [plusDays(tue, 9), "Office hours"],
    [plusDays(tue, 14), "Office hours"],
    [plusDays(tue, 16), "Office hours"],
  ]);

  // Outlook → CRM: the user renames the Tuesday of the second week.
  await w.calendar.editEvent(anna.upn, got[2]!.id, { subject: "Office hours (bank)" });
  await w.syncNow("anna");
  const ex = (await w.crmAdmin.appointment(TENANT, appt.id)).series!.exceptions
    .map((e) => [e.originalStart.slice(0, 10), e.override.subject]).sort();
  assert.deepEqual(ex, [[plusDays(tue, 2), "Office hours (notary)"], [plusDays(tue, 7), "Office hours (bank)"]]);
  await w.assertQuiet();
});

Deno.test("E8 a weekly series across a DST change keeps 09:00 in its zone, both ways", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  // Europe and the US change on different Sundays in March; four weeks around each cover both.
  const year = new Date().getUTCFullYear() + 1;
  const berlinStart = `${year}-03-15`, nyStart = `${year}-03-01`;
  await w.crmAdmin.createAppointment(TENANT, {
    subject: "Weekly Berlin",
    start: { dateTime: `${berlinStart}T09:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${berlinStart}T09:30:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: {
      pattern: { type: "daily", interval: 7 },
      range: { type: "numbered", startDate: berlinStart, numberOfOccurrences: 5 },
    },
  });
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Weekly New York",
    start: { dateTime: `${nyStart}T09:00:00`, timeZone: "Eastern Standard Time" },
    end: { dateTime: `${nyStart}T09:30:00`, timeZone: "Eastern Standard Time" },
    recurrence: {
      pattern: { type: "daily", interval: 7 },
      range: { type: "numbered", startDate: nyStart, numberOfOccurrences: 5 },
    },
  });
  await w.syncNow("anna");
  const [berlin] = await masters(w, "anna", "Weekly Berlin");
  const times = (await instances(w, "anna", berlin.id, berlinStart, `${year}-04-30`)).map((i) => i.time);
  assert.deepEqual(times, ["09:00", "09:00", "09:00", "09:00", "09:00"], "Berlin wall clock across its DST change");
  const ny = (await w.crmAdmin.appointments(TENANT)).find((a) => a.subject === "Weekly New York")!;
  assert.equal(ny.start.timeZone, "America/New_York");
  assert.equal(ny.start.dateTime.slice(11, 16), "09:00");
  assert.deepEqual(ny.series!.exceptions, [], "DST makes no exceptions");
  await w.assertQuiet();
});
