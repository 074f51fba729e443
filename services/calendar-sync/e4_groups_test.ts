// E4: a group appointment is written into each member's own calendar; a member who deletes it in
// Outlook gets it back; membership changes add and remove copies.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("E4 a group appointment lands in every member's calendar, comes back when deleted, follows membership", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben", "carl"] });
  const team = await w.crmAdmin.createGroup(TENANT, { name: "Viewing team", memberIds: ["anna", "ben"] });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Team viewing",
    start: at(3, "10:00"),
    end: at(3, "11:00"),
    organizerId: "anna",
    participantIds: ["anna"],
    groupIds: [team.id],
  });
  await w.syncAll();
  const copies = async (u: string) => (await w.outlook(u)).filter((e) => e.subject === "Team viewing");
  assert.equal((await copies("anna")).length, 1);
  assert.equal((await copies("ben")).length, 1);
  assert.equal((await copies("carl")).length, 0);

  // Ben deletes his copy in Outlook: it comes back at the next sync, and the CRM keeps him.
  await w.calendar.deleteEvent(w.agent("ben").upn, String((await copies("ben"))[0]!.id));
  await w.syncNow("ben");
  assert.equal((await copies("ben")).length, 1, "the member's deleted copy is back");
  assert.equal((await w.crmAdmin.appointment(TENANT, appt.id)).cancelled, false);

  // Membership: Ben leaves, Carl joins.
  await w.crmAdmin.setGroupMembers(TENANT, team.id, ["anna", "carl"]);
  await w.syncAll();
  assert.equal((await copies("ben")).length, 0, "a former member's copy is removed");
  assert.equal((await copies("carl")).length, 1, "a new member gets a copy");
  const members = (await w.api("GET", `/v1/calendar/appointments/${appt.id}`)).body.members;
  assert.deepEqual(members.map((m: { userId: string }) => m.userId).sort(), ["anna", "carl"]);
  await w.assertQuiet();
});
