// E12: the same meeting in several linked users' calendars (organizer copy and attendee copies, one
// iCalUId) is one CRM appointment; colleagues are never written as attendees of each other's copies.
import assert from "node:assert/strict";
import { DOMAIN, startCalendarWorld, TENANT } from "./testdata/world.ts";
import { graphAt } from "./testdata/times.ts";

Deno.test("E12 a meeting between two linked colleagues created in Outlook becomes one CRM appointment", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben"] });
  await w.outlookClient("anna").api(`/me/calendars/${w.agent("anna").calendarId}/events`).post({
    subject: "Pipeline review",
    start: graphAt(2, "16:00"),
    end: graphAt(2, "17:00"),
    attendees: [{ emailAddress: { address: `ben@${DOMAIN}`, name: "ben" }, type: "required" }],
  });
  assert.equal((await w.outlook("ben")).filter((e) => e.subject === "Pipeline review").length, 1, "Ben's copy");
  const mailsBefore = (await w.mails()).length;

  await w.syncAll();
  await w.syncAll();
  const appts = (await w.crmAdmin.appointments(TENANT)).filter((a) => a.subject === "Pipeline review");
  assert.equal(appts.length, 1, "one CRM appointment");
  assert.equal(appts[0]!.organizerId, "anna");
  assert.deepEqual([...appts[0]!.participantIds].sort(), ["anna", "ben"]);
  for (const u of ["anna", "ben"]) {
    assert.equal((await w.outlook(u)).filter((e) => e.subject === "Pipeline review").length, 1, `${u}: one copy`);
  }
  assert.equal((await w.mails()).length, mailsBefore, "the sync sent nothing");
  await w.assertQuiet();
});
