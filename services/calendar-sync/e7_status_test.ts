// E7: status per appointment and per member (synced, pending, error, suspended) with the last 3
// attempts; per-user status with runs and counts; the preview of what a run would do.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("E7 status per appointment, per member and per user, with the last 3 attempts and a preview", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben"] });
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Status check",
    start: at(3, "10:00"),
    end: at(3, "11:00"),
    organizerId: "anna",
    participantIds: ["anna", "ben"],
  });
  const preview = await w.api("GET", "/v1/users/anna/calendar/preview");
  assert.equal(preview.status, 200);
  assert.ok(JSON.stringify(preview.body).includes(appt.id), "the preview names the appointment to create");

  await w.syncAll();
  for (let i = 0; i < 4; i++) {
    await w.crmAdmin.updateAppointment(TENANT, appt.id, { subject: `Status check ${i}` });
    await w.syncAll();
  }
  const members = (await w.api("GET", `/v1/calendar/appointments/${appt.id}`)).body.members;
  assert.deepEqual(members.map((m: { userId: string; status: string }) => [m.userId, m.status]), [
    ["anna", "synced"],
    ["ben", "synced"],
  ]);
  for (const m of members) {
    assert.equal(m.attempts.length, 3, "the last 3 attempts");
    assert.ok(m.attempts.every((a: { direction: string; outcome: string }) => a.direction === "to_outlook"));
  }
  const item = await w.api("GET", `/v1/users/ben/calendar/items/${appt.id}`);
  assert.equal(item.body.status, "synced");
  const status = await w.status("anna");
  assert.ok(status.links.total >= 1);
  assert.ok(status.runs.length >= 5);
  assert.equal((await w.api("GET", "/v1/users/anna/calendar/items/nope")).status, 404);
  await w.assertQuiet();
});
