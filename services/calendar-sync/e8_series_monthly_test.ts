// E8: a relative-monthly series with one moved and one cancelled occurrence, both directions; a
// second run writes nothing.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { month, nthWeekday } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

Deno.test("E8 CRM → Outlook: second Wednesday monthly, one occurrence moved, one cancelled", async () => {
  await using w = await startCalendarWorld();
  const dates = [1, 2, 3, 4, 5].map((m) => nthWeekday(month(m), "wednesday", 2));
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Owners' meeting",
    start: { dateTime: `${dates[0]}T10:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${dates[0]}T11:00:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: {
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["wednesday"], index: "second" },
      range: { type: "numbered", startDate: dates[0]!, numberOfOccurrences: 5 },
      exceptions: [
        {
          originalStart: `${dates[1]}T10:00:00`,
          override: { start: `${dates[1]}T14:00:00`, end: `${dates[1]}T15:00:00` },
        },
        { originalStart: `${dates[2]}T10:00:00`, cancelled: true },
      ],
    },
  });
  await w.syncNow("anna");
  const [master] = await masters(w, "anna", "Owners' meeting");
  assert.ok(master, "one series master in Outlook");
  assert.equal(master.recurrence.pattern.type, "relativeMonthly");
  assert.equal(master.recurrence.pattern.index, "second");
  const got = await instances(w, "anna", master.id, dates[0]!, `${month(7)}-01`);
  assert.deepEqual(got.map((i) => [i.date, i.time]), [
    [dates[0], "10:00"],
    [dates[1], "14:00"],
    [dates[3], "10:00"],
    [dates[4], "10:00"],
  ]);
  assert.equal((await w.crmAdmin.appointment(TENANT, appt.id)).series?.exceptions.length, 2, "the CRM is unchanged");
  await w.assertQuiet();
});

Deno.test("E8 Outlook → CRM: last Friday monthly, one occurrence moved, one deleted", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const dates = [1, 2, 3, 4, 5].map((m) => nthWeekday(month(m), "friday", -1));
  const master = await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Month-end review",
    start: { dateTime: `${dates[0]}T16:00:00`, timeZone: "W. Europe Standard Time" },
    end: { dateTime: `${dates[0]}T17:00:00`, timeZone: "W. Europe Standard Time" },
    recurrence: {
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["friday"], index: "last" },
      range: { type: "numbered", startDate: dates[0], numberOfOccurrences: 5 },
    },
  });
  await w.calendar.moveOccurrence(anna.upn, master.id, dates[1]!, {
    start: { dateTime: `${dates[1]}T09:00:00`, timeZone: "W. Europe Standard Time" },
    end: { dateTime: `${dates[1]}T10:00:00`, timeZone: "W. Europe Standard Time" },
  });
  await w.calendar.deleteOccurrence(anna.upn, master.id, dates[3]!);
  await w.syncNow("anna");

  const appts = (await w.crmAdmin.appointments(TENANT)).filter((a) => a.subject === "Month-end review");
  assert.equal(appts.length, 1, "one CRM series");
  const s = appts[0]!.series!;
  assert.equal(s.pattern.type, "relativeMonthly");
  assert.equal(s.pattern.index, "last");
  assert.deepEqual(s.pattern.daysOfWeek, ["friday"]);
  const ex = [...s.exceptions].sort((a, b) => a.originalStart.localeCompare(b.originalStart));
  assert.equal(ex.length, 2);
  assert.equal(ex[0]!.originalStart.slice(0, 16), `${dates[1]}T16:00`);
  assert.equal(ex[0]!.override.start?.slice(0, 16), `${dates[1]}T09:00`);
  assert.equal(ex[1]!.originalStart.slice(0, 16), `${dates[3]}T16:00`);
  assert.equal(ex[1]!.cancelled, true);
  await w.assertQuiet();
});
