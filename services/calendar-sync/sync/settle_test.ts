import assert from "node:assert/strict";
import { apptFields, World } from "./_test_world.ts";
import { settleCalendarPair } from "./settle.ts";
import { planCalendar } from "./plan.ts";

const NOW = "2026-06-01T09:00:00Z";

Deno.test("settleCalendarPair() fills the ids and versions the writes returned", () => {
  const w = new World(["giulia"]);
  w.crmCreate(apptFields());
  const [pair] = planCalendar(w.input("giulia")).pairs;
  const row = settleCalendarPair(
    pair!,
    { status: "done", values: [{ id: "evt-9", changeKey: "ck", iCalUId: "ical" }] },
    NOW,
  );
  assert.equal(row?.graphId, "evt-9");
  assert.equal(row?.graphChangeKey, "ck");
  assert.equal(row?.iCalUId, "ical");
  assert.equal(row?.intent, null);
  assert.equal(row?.state, "synced");
});

Deno.test("settleCalendarPair() keeps the intent row on a failed create, and the id of a create that went through before a later failure", () => {
  const w = new World(["giulia"]);
  w.graphCreate("giulia", {
    subject: "Call",
    start: { dateTime: "2026-06-12T14:00:00", timeZone: "UTC" },
    end: { dateTime: "2026-06-12T14:30:00", timeZone: "UTC" },
  });
  const [pair] = planCalendar(w.input("giulia")).pairs;
  assert.deepEqual(pair!.actions.map((a) => a.kind), ["createInCrm", "stampInGraph"]);
  const failed = settleCalendarPair(pair!, {
    status: "failed",
    values: [],
    failure: { action: pair!.actions[0]!, error: { kind: "failed", message: "boom" } },
  }, NOW);
  assert.equal(failed?.intent, "creating_in_crm");
  assert.equal(failed?.state, "error");
  const half = settleCalendarPair(pair!, {
    status: "failed",
    values: [{ id: "apt-7", version: 1 }],
    failure: { action: pair!.actions[1]!, error: { kind: "gone", message: "404" } },
  }, NOW);
  assert.equal(half?.crmId, "apt-7");
  assert.equal(half?.intent, null);
  assert.equal(half?.outlookRemoved, true, "a gone Outlook item is planned as an Outlook delete next run (P9)");
});

Deno.test("planCalendar() lets a linked colleague who declines or deletes their attendee copy leave the CRM appointment (E6, E12)", () => {
  const w = new World(["giulia", "markus"]);
  w.colleagues.set("giulia@agency.example", "giulia");
  w.colleagues.set("markus@agency.example", "markus");
  const organizerCopy = w.graphCreate("giulia", {
    subject: "Team viewing",
    start: { dateTime: "2026-06-15T09:00:00", timeZone: "UTC" },
    end: { dateTime: "2026-06-15T10:00:00", timeZone: "UTC" },
    attendees: [{ emailAddress: { address: "markus@agency.example", name: "Markus" }, type: "required" }],
  });
  const copy = w.graphCreate("markus", {
    subject: "Team viewing",
    start: { dateTime: "2026-06-15T09:00:00", timeZone: "UTC" },
    end: { dateTime: "2026-06-15T10:00:00", timeZone: "UTC" },
    isOrganizer: false,
    organizer: { emailAddress: { address: "giulia@agency.example", name: "Giulia" } },
  });
  w.calendars.get("markus")!.set(copy.id, { ...copy, iCalUId: organizerCopy.iCalUId });
  w.settle();
  const [a] = [...w.crm.values()];
  assert.deepEqual(a!.participantIds, ["giulia", "markus"]);
  const declined = w.calendars.get("markus")!.get(copy.id)!;
  w.calendars.get("markus")!.set(copy.id, { ...declined, responseStatus: { response: "declined" } });
  const plan = w.run("markus");
  assert.deepEqual(plan.pairs.flatMap((p) => p.actions.map((x) => x.kind)), ["removeParticipantInCrm"]);
  assert.deepEqual(w.crm.get(a!.id)!.participantIds, ["giulia"]);
  assert.equal(w.crm.get(a!.id)!.cancelled, false);
});
