// E8 with E4: a group member who deletes one occurrence of a group series in Outlook gets it back;
// the CRM series keeps no exception for it.
import assert from "node:assert/strict";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { nextWeekday, plusDays } from "./testdata/times.ts";
import { instances, masters } from "./testdata/series.ts";

Deno.test("E8 a group member's deleted occurrence comes back; the CRM series is unchanged", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben"] });
  const team = await w.crmAdmin.createGroup(TENANT, { name: "Sales", memberIds: ["anna", "ben"] });
  const wed = nextWeekday("wednesday", 1);
  const appt = await w.crmAdmin.createAppointment(TENANT, {
    subject: "Sales sync",
    start: { dateTime: `${wed}T11:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${wed}T11:30:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    groupIds: [team.id],
    series: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["wednesday"] },
      range: { type: "numbered", startDate: wed, numberOfOccurrences: 4 },
    },
  });
  await w.syncAll();
  const [benMaster] = await masters(w, "ben", "Sales sync");
  assert.ok(benMaster, "Ben has the series");
  await w.calendar.deleteOccurrence(w.agent("ben").upn, benMaster.id, plusDays(wed, 7));
  assert.equal((await instances(w, "ben", benMaster.id, wed, plusDays(wed, 30))).length, 3);

  await w.syncNow("ben");
  const [again] = await masters(w, "ben", "Sales sync");
  assert.equal((await instances(w, "ben", again.id, wed, plusDays(wed, 30))).length, 4, "the occurrence is back");
  assert.deepEqual((await w.crmAdmin.appointment(TENANT, appt.id)).series!.exceptions, []);
  await w.assertQuiet();
});
