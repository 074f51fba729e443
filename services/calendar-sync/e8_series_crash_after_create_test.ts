// E8 with crash safety (A9): a run that died right after creating a series in Outlook leaves the
// row as the create's intent; the next run finds the series by its stamp with its occurrences, so
// nothing is read as cancelled in Outlook and the CRM keeps every occurrence.
import assert from "node:assert/strict";
import postgres from "postgres";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { nextWeekday, plusDays } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

Deno.test("E8 a run that died right after creating a series: the next run reads its occurrences, the CRM keeps them all", async () => {
  await using w = await startCalendarWorld();
  const tue = nextWeekday("tuesday", 1);
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Office hours",
    start: { dateTime: `${tue}T08:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${tue}T09:00:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    series: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["tuesday"] },
      range: { type: "numbered", startDate: tue, numberOfOccurrences: 4 },
      exceptions: [],
    },
  });
  await w.syncNow("anna");
  const [master] = await masters(w, "anna", "Office hours");
  assert.ok(master);
  // What a crash right after the create leaves: the series exists, stamped; the row is still the intent.
  const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`update calendar_sync.event_links
      set intent = 'creating_in_graph', graph_id = null, graph_change_key = null, state = 'pending'
      where crm_id = ${appt.id} returning id`;
    assert.equal(rows.length, 1);
  } finally {
    await sql.end();
  }
  await w.syncNow("anna");
  const after = await w.crmAdmin.appointment(TENANT, appt.id);
  assert.deepEqual(after.series!.exceptions, [], "no occurrence cancelled in the CRM");
  const got = await instances(w, "anna", master.id, tue, plusDays(tue, 28));
  assert.equal(got.length, 4);
  await w.assertQuiet();
});
