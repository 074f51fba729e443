// P3, P8: with a public URL, Graph change notifications on the user's events start calendar runs:
// an Outlook edit reaches the CRM with no poll and no "sync now".
import assert from "node:assert/strict";
import postgres from "postgres";
import { waitFor } from "@app/shared/testing";
import { writeWithNotificationsInBothOrders } from "@app/shared/testing/sync-world";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("P3, P8: an Outlook event edit reaches the CRM through a change notification, no poll", async () => {
  // The world sets every poll and the reconciliation an hour or more away: only notifications trigger.
  await using w = await startCalendarWorld({ notifications: true });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Viewing Hauptstraße 1",
    location: "Hauptstraße 1, Berlin",
    start: at(2, "10:00"),
    end: at(2, "11:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  await w.syncNow("anna");
  const subs = (await w.m365.emu.admin.subscriptions()).value;
  assert.equal(subs.length, 1, "one subscription on the user's events");
  const event = (await w.outlook("anna")).find((e) => e.subject === "Viewing Hauptstraße 1");
  assert.ok(event, "the appointment is in Outlook");
  const runsBefore = (await w.status("anna")).runs.length;

  await w.outlookClient("anna").api(`/me/events/${event.id}`).patch({ location: { displayName: "Notariat" } });
  await waitFor(
    "the Outlook edit in the CRM",
    async () => (await w.crmAdmin.appointment(TENANT, appt.id)).location === "Notariat",
    { timeoutMs: 20_000 },
  );
  await w.settle();
  const runs = (await w.status("anna")).runs as { reasons: string[] }[];
  const since = runs.slice(0, runs.length - runsBefore);
  assert.ok(since.length >= 1 && since.every((r) => !r.reasons.includes("poll")), JSON.stringify(since));
  assert.ok(since.some((r) => r.reasons.includes("notification")), JSON.stringify(since));
  await w.assertQuiet();
});

Deno.test("P3, P8: the notification of calendar-sync's own Outlook write starts no run, in either order", async () => {
  await using w = await startCalendarWorld({ notifications: true });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Viewing Gartenweg 2",
    start: at(3, "09:00"),
    end: at(3, "10:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  await w.syncNow("anna");
  const runsBefore = (await w.status("anna")).runs.length;
  const edit = (subject: string) => async () => {
    await w.crmAdmin.updateAppointment(TENANT, appt.id, { subject });
    await waitFor(`"${subject}" in Outlook`, async () => (await w.outlook("anna")).some((e) => e.subject === subject), {
      timeoutMs: 20_000,
    });
  };
  const delivered = await writeWithNotificationsInBothOrders(
    w.m365,
    () => w.settle(),
    edit("Viewing Gartenweg 2 (moved)"),
    edit("Viewing Gartenweg 2 (moved again)"),
  );

  assert.ok(delivered >= 2, "Graph delivered the notifications of both writes");
  let runs = (await w.status("anna")).runs as { reasons: string[] }[];
  const since = runs.slice(0, runs.length - runsBefore);
  assert.deepEqual(
    since.map((r) => r.reasons),
    [["crm.appointment.updated"], ["crm.appointment.updated"]],
    "one run per CRM event, none for the notifications",
  );

  // The other way: an Outlook edit runs once; the CRM's event for the write that run made starts none.
  const event = (await w.outlook("anna")).find((e) => e.subject === "Viewing Gartenweg 2 (moved again)")!;
  await w.outlookClient("anna").api(`/me/events/${event.id}`).patch({ location: { displayName: "Gartenweg 2" } });
  await waitFor(
    "the Outlook edit in the CRM",
    async () => (await w.crmAdmin.appointment(TENANT, appt.id)).location === "Gartenweg 2",
    {
      timeoutMs: 20_000,
    },
  );
  await w.m365.emu.admin.settleNotifications();
  await w.settle();
  runs = (await w.status("anna")).runs as { reasons: string[] }[];
  assert.deepEqual(runs.slice(0, runs.length - runsBefore - 2).map((r) => r.reasons), [["notification"]]);
});

Deno.test("P3, P8: a notification for an event whose link has unfinished business (a failed write) is no echo: it starts a run", async () => {
  await using w = await startCalendarWorld({ notifications: true });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Viewing Seestraße 9",
    start: at(4, "09:00"),
    end: at(4, "10:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  await w.syncNow("anna");
  const runsBefore = (await w.status("anna")).runs.length;
  // Our write's notification is held until its run is over; meanwhile the link records a failure.
  await w.m365.emu.admin.holdNotifications();
  await w.crmAdmin.updateAppointment(TENANT, appt.id, { subject: "Viewing Seestraße 9 (moved)" });
  await waitFor(
    "the edit in Outlook",
    async () => (await w.outlook("anna")).some((e) => e.subject.endsWith("(moved)")),
    {
      timeoutMs: 20_000,
    },
  );
  await w.settle();
  const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
  try {
    await sql`update calendar_sync.event_links set last_error = 'a later write failed' where user_id = 'anna'`;
  } finally {
    await sql.end();
  }
  await w.m365.emu.admin.releaseNotifications();
  await w.m365.emu.admin.settleNotifications();
  await w.settle();
  const runs = (await w.status("anna")).runs as { reasons: string[] }[];
  assert.deepEqual(
    runs.slice(0, runs.length - runsBefore).map((r) => r.reasons),
    [["notification"], ["crm.appointment.updated"]],
    "the CRM event's run, then one for the notification",
  );
});
