// E2/E11: time travels with its zone. An all-day appointment in a zone far from UTC keeps its dates
// both ways; a timed one keeps its wall clock in its zone; a 10-minute Outlook reminder stays 10
// while the CRM shows its nearest choice (15), across several runs.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at, day, graphAt } from "./testdata/times.ts";

Deno.test("E2 E11 an all-day appointment in a zone far from UTC keeps its dates both ways", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const crm = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Open house (Kiritimati)",
    start: { dateTime: `${day(5)}T00:00:00`, timeZone: "Pacific/Kiritimati" },
    end: { dateTime: `${day(6)}T00:00:00`, timeZone: "Pacific/Kiritimati" },
    allDay: true,
    organizerId: "anna",
    participantIds: ["anna"],
  });
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Fair (Honolulu)",
    isAllDay: true,
    start: { dateTime: `${day(7)}T00:00:00`, timeZone: "Hawaiian Standard Time" },
    end: { dateTime: `${day(9)}T00:00:00`, timeZone: "Hawaiian Standard Time" },
  });
  await w.syncNow("anna");

  const inOutlook = (await w.outlook("anna")).find((e) => e.subject === "Open house (Kiritimati)")!;
  assert.equal(inOutlook.isAllDay, true);
  assert.equal(String(inOutlook.start.dateTime).slice(0, 10), day(5));
  assert.equal(String(inOutlook.end.dateTime).slice(0, 10), day(6));
  const fair = (await w.crmAdmin.appointments(TENANT)).find((a) => a.subject === "Fair (Honolulu)")!;
  assert.equal(fair.allDay, true);
  assert.deepEqual([fair.start.dateTime.slice(0, 10), fair.end.dateTime.slice(0, 10)], [day(7), day(9)]);
  assert.equal((await w.crmAdmin.appointment(TENANT, crm.id)).start.dateTime.slice(0, 10), day(5));
  await w.assertQuiet();
});

Deno.test("E2 a timed appointment keeps its wall clock in its own zone both ways", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  await w.crmAdmin.createAppointment(TENANT, {
    subject: "Call New York",
    start: at(4, "09:30", "America/New_York"),
    end: at(4, "10:00", "America/New_York"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Call Tokyo",
    start: graphAt(4, "17:00", "Tokyo Standard Time"),
    end: graphAt(4, "17:45", "Tokyo Standard Time"),
  });
  await w.syncNow("anna");
  const ny = (await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`)
    .header("Prefer", 'outlook.timezone="Eastern Standard Time"').filter("subject eq 'Call New York'").get()).value[0];
  assert.equal(ny.start.dateTime.slice(0, 16), `${day(4)}T09:30`);
  const tokyo = (await w.crmAdmin.appointments(TENANT)).find((a) => a.subject === "Call Tokyo")!;
  assert.equal(tokyo.start.timeZone, "Asia/Tokyo");
  assert.equal(tokyo.start.dateTime.slice(0, 16), `${day(4)}T17:00`);
  await w.assertQuiet();
});

Deno.test("E11 a 10-minute Outlook reminder stays 10 while the CRM shows 15, across several runs", async () => {
  await using w = await startCalendarWorld();
  const anna = w.agent("anna");
  const ev = await w.outlookClient("anna").api(`/me/calendars/${anna.calendarId}/events`).post({
    subject: "Key handover",
    start: graphAt(2, "08:00"),
    end: graphAt(2, "08:30"),
    isReminderOn: true,
    reminderMinutesBeforeStart: 10,
  });
  await w.syncNow("anna");
  const appt = (await w.crmAdmin.appointments(TENANT)).find((a) => a.subject === "Key handover")!;
  assert.equal(appt.reminderMinutes, 15);
  for (let i = 0; i < 3; i++) {
    await w.assertQuiet();
    const now = await w.outlookClient("anna").api(`/me/events/${ev.id}`).get();
    assert.equal(now.reminderMinutesBeforeStart, 10, `run ${i + 1}: Outlook keeps the user's 10 minutes`);
    assert.equal((await w.crmAdmin.appointment(TENANT, appt.id)).reminderMinutes, 15);
  }
});
