// E6: deleting in Outlook cancels the CRM appointment, unless the user is one of several
// participants (then only they leave it); deleting in the CRM deletes every linked copy.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("E6 Outlook deletes cancel or leave; a CRM delete removes every copy", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben"] });
  const solo = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Solo viewing",
    start: at(2, "09:00"),
    end: at(2, "10:00"),
    organizerId: "anna",
    participantIds: ["anna"],
  });
  const shared = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Joint viewing",
    start: at(2, "11:00"),
    end: at(2, "12:00"),
    organizerId: "anna",
    participantIds: ["anna", "ben"],
  });
  const doomed = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Doomed",
    start: at(2, "13:00"),
    end: at(2, "14:00"),
    organizerId: "anna",
    participantIds: ["anna", "ben"],
  });
  await w.syncAll();
  const idOf = async (u: string, subject: string) =>
    String((await w.outlook(u)).find((e) => e.subject === subject)!.id);

  await w.calendar.deleteEvent(w.agent("anna").upn, await idOf("anna", "Solo viewing"));
  await w.calendar.deleteEvent(w.agent("ben").upn, await idOf("ben", "Joint viewing"));
  await w.crmAdmin.deleteAppointment(TENANT, doomed.id);
  await w.syncAll();

  assert.equal((await w.crmAdmin.appointment(TENANT, solo.id)).cancelled, true, "the sole participant cancelled");
  const joint = await w.crmAdmin.appointment(TENANT, shared.id);
  assert.equal(joint.cancelled, false, "one of several participants only leaves");
  assert.deepEqual(joint.participantIds, ["anna"]);
  for (const u of ["anna", "ben"]) {
    assert.ok(!(await w.outlook(u)).some((e) => e.subject === "Doomed"), `${u}: the CRM delete removed the copy`);
  }
  await w.assertQuiet();
});
