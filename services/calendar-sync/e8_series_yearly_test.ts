// E8/E11: an all-day yearly series never shifts its dates, both ways.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { day, plusDays } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

Deno.test("E8 an all-day yearly series keeps its dates both ways", async () => {
  await using w = await startCalendarWorld({ env: { CALENDAR_HORIZON_DAYS: "1100" } });
  const anna = w.agent("anna");
  const first = day(20);
  const [, mm, dd] = first.split("-").map(Number) as [number, number, number];
  await w.crmAdmin.createAppointment(TENANT, {
    subject: "Contract anniversary",
    start: { dateTime: `${first}T00:00:00`, timeZone: "Pacific/Auckland" },
    end: { dateTime: `${plusDays(first, 1)}T00:00:00`, timeZone: "Pacific/Auckland" },
    allDay: true,
    organizerId: "anna",
    participantIds: ["anna"],
    series: {
      pattern: { type: "absoluteYearly", interval: 1, dayOfMonth: dd, month: mm },
      range: { type: "numbered", startDate: first, numberOfOccurrences: 3 },
    },
  });
  const second = day(25);
  const [, m2, d2] = second.split("-").map(Number) as [number, number, number];
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Insurance renewal",
    isAllDay: true,
    start: { dateTime: `${second}T00:00:00`, timeZone: "Hawaiian Standard Time" },
    end: { dateTime: `${plusDays(second, 1)}T00:00:00`, timeZone: "Hawaiian Standard Time" },
    recurrence: {
      pattern: { type: "absoluteYearly", interval: 1, dayOfMonth: d2, month: m2 },
      range: { type: "numbered", startDate: second, numberOfOccurrences: 3 },
    },
  });
  await w.syncNow("anna");
  const [master] = await masters(w, "anna", "Contract anniversary");
  assert.equal(master.isAllDay, true);
  const dates = (await instances(w, "anna", master.id, first, plusDays(first, 1000), "Pacific/Auckland"))
    .map((i) => i.date.slice(5));
  assert.deepEqual(dates, [first.slice(5), first.slice(5), first.slice(5)]);
  const renewal = (await w.crmAdmin.appointments(TENANT)).find((a) => a.subject === "Insurance renewal")!;
  assert.equal(renewal.allDay, true);
  assert.equal(renewal.start.dateTime.slice(0, 10), second);
  assert.deepEqual([renewal.series!.pattern.type, renewal.series!.pattern.month, renewal.series!.pattern.dayOfMonth], [
    "absoluteYearly",
    m2,
    d2,
  ]);
  await w.assertQuiet();
});
