// P6: a run that would delete more than SAFETY_MAX_SHARE of a user's linked appointments pauses
// until confirmed; status says why; the confirmed run applies it once.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at } from "./testdata/times.ts";

Deno.test("P6 a mass delete from the CRM pauses until confirmed, then applies once", async () => {
  // Triggers settle for 2 s into one run, so the mass delete reaches one run, as a CRM bulk action would.
  await using w = await startCalendarWorld({ env: { RUN_COALESCE_MS: "2000" } });
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    ids.push(
      (await w.crmAdmin.createAppointment(TENANT, {
        subject: `Viewing ${i}`,
        start: at(2 + (i % 5), `${String(8 + i % 9).padStart(2, "0")}:00`),
        end: at(2 + (i % 5), `${String(8 + i % 9).padStart(2, "0")}:30`),
        organizerId: "anna",
        participantIds: ["anna"],
      })).id,
    );
  }
  await w.syncNow("anna");
  assert.equal((await w.outlook("anna")).length, 12);

  await w.stopService();
  for (const id of ids.slice(0, 11)) await w.crmAdmin.deleteAppointment(TENANT, id);
  await w.startService();
  const run = await w.syncNow("anna");
  assert.equal(run.status, "paused");
  const status = await w.status("anna");
  assert.ok(status.paused?.reason, "status says why it paused");
  assert.equal((await w.outlook("anna")).length, 12, "nothing deleted while paused");

  assert.equal((await w.api("POST", "/v1/users/anna/calendar/confirm")).status, 202);
  await w.settle();
  assert.equal((await w.outlook("anna")).length, 1, "the confirmed run deleted them");
  assert.equal((await w.status("anna")).paused, null);
  await w.assertQuiet();
});
