// E10: with the tenant's switch on, an appointment created in the CRM after linking that starts in
// the future goes to Outlook with real attendees, and Microsoft mails exactly one invitation; the
// first sync and past appointments never invite.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("E10 the tenant switch invites once for a new future CRM appointment, never for back-fill or the past", async () => {
  await using w = await startCalendarWorld({ includePastDays: 30, calendarAttendees: true });
  const buyer = await w.crmAdmin.createContact(TENANT, {
    givenName: "Petra",
    familyName: "Käufer",
    emails: [{ address: "petra@example.org" }],
  });
  const base = { organizerId: "anna", participantIds: ["anna"], contacts: [{ contactId: buyer.id }] };
  await w.crmAdmin.createAppointment(TENANT, {
    ...base,
    subject: "Before linking",
    start: at(6, "10:00"),
    end: at(6, "11:00"),
  });
  await w.syncNow("anna");
  assert.deepEqual(await w.mails(), [], "the first sync invites nobody");

  await w.crmAdmin.createAppointment(TENANT, {
    ...base,
    subject: "New, future",
    start: at(7, "10:00"),
    end: at(7, "11:00"),
  });
  await w.crmAdmin.createAppointment(TENANT, {
    ...base,
    subject: "New, past",
    start: at(-7, "10:00"),
    end: at(-7, "11:00"),
  });
  await w.syncNow("anna");
  const mails = await w.mails() as { kind: string; subject: string; to?: unknown }[];
  assert.equal(mails.length, 1, `exactly one mail: ${JSON.stringify(mails)}`);
  assert.equal(mails[0]!.kind, "invitation");
  assert.match(mails[0]!.subject, /New, future/);
  const future = (await w.outlook("anna")).find((e) => e.subject === "New, future")!;
  assert.deepEqual(future.attendees.map((a: { emailAddress: { address: string } }) => a.emailAddress.address), [
    "petra@example.org",
  ]);
  await w.assertQuiet();
  assert.equal((await w.mails()).length, 1, "no second invitation");
});
