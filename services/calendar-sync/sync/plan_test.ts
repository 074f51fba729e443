import assert from "node:assert/strict";
import { apptFields, World } from "./_test_world.ts";
import { stampOf } from "./graph_event.ts";
import { caseOf } from "./cases.ts";

const actionsOf = (w: World, u: string) => w.run(u).pairs.flatMap((p) => p.actions.map((a) => a.kind));

Deno.test("planCalendar() creates a CRM appointment in Outlook once, stamped, with a transactionId, and the second run is silent", () => {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields());
  assert.deepEqual(actionsOf(w, "giulia"), ["createInGraph"]);
  const [e] = [...w.calendars.get("giulia")!.values()];
  assert.equal(stampOf(e!), a.id);
  assert.ok(e!.transactionId);
  assert.deepEqual(actionsOf(w, "giulia"), []);
});

Deno.test("planCalendar() links an existing event with the same subject and start on first sync instead of copying (A9)", () => {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields({ reminderMinutes: 15 }));
  w.graphCreate("giulia", {
    subject: "viewing ",
    start: { dateTime: "2026-06-10T07:00:00", timeZone: "UTC" },
    end: { dateTime: "2026-06-10T08:00:00", timeZone: "UTC" },
    location: { displayName: "Via Roma 1" },
    reminderMinutesBeforeStart: 10,
  });
  const plan = w.run("giulia");
  assert.equal(plan.report.preview.linked.length, 1);
  assert.equal(plan.report.preview.createInOutlook.length, 0);
  assert.equal(plan.report.preview.createInCrm.length, 0);
  // Only the subject really differs; the 10-minute reminder rounds to the CRM's 15 and is kept.
  const acts = plan.pairs.flatMap((p) => p.actions);
  assert.equal(acts.length, 1);
  assert.equal(acts[0]!.kind, "updateInGraph");
  assert.deepEqual(Object.keys((acts[0] as { body: object }).body).sort(), [
    "singleValueExtendedProperties",
    "subject",
  ]);
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.equal(w.crm.get(a.id)!.version, 1);
  assert.deepEqual(actionsOf(w, "giulia"), []);
});

Deno.test("planCalendar() keeps a 10-minute Outlook reminder while the CRM shows 15, across runs (E11)", () => {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields({ reminderMinutes: 30 }));
  w.run("giulia");
  const [id] = [...w.calendars.get("giulia")!.keys()];
  w.graphUpdate("giulia", id!, { reminderMinutesBeforeStart: 10 });
  assert.deepEqual(actionsOf(w, "giulia"), ["updateInCrm"]);
  assert.equal(w.crm.get(a.id)!.reminderMinutes, 15);
  for (let i = 0; i < 3; i++) assert.deepEqual(actionsOf(w, "giulia"), []);
  assert.equal(w.calendars.get("giulia")!.get(id!)!.reminderMinutesBeforeStart, 10);
});

Deno.test("planCalendar() writes a group appointment into each member's calendar and recreates a member's deleted copy (E4)", () => {
  const w = new World(["giulia", "markus", "sofia"]);
  w.groups.set("sales", ["markus", "sofia"]);
  w.crmCreate(apptFields({ groupIds: ["sales"] }));
  w.settle();
  for (const u of w.users) assert.equal(w.calendars.get(u)!.size, 1, u);
  const [id] = [...w.calendars.get("markus")!.keys()];
  w.calendars.get("markus")!.delete(id!);
  assert.deepEqual(actionsOf(w, "markus"), ["createInGraph"]);
  assert.equal(w.calendars.get("markus")!.size, 1);
  assert.equal(w.settle(), 0);
});

Deno.test("planCalendar() adds and removes copies when group membership changes (E4)", () => {
  const w = new World(["giulia", "markus", "sofia"]);
  w.groups.set("sales", ["markus"]);
  w.crmCreate(apptFields({ groupIds: ["sales"] }));
  w.settle();
  w.groups.set("sales", ["sofia"]);
  w.settle();
  assert.equal(w.calendars.get("markus")!.size, 0);
  assert.equal(w.calendars.get("sofia")!.size, 1);
});

Deno.test("planCalendar() suspends an appointment whose organizer was removed and resumes when re-added (E5)", () => {
  const w = new World(["giulia", "markus"]);
  const a = w.crmCreate(apptFields({ participantIds: ["giulia", "markus"] }));
  w.settle();
  w.crmUpdate(a.id, { participantIds: ["markus"], subject: "Changed while suspended" });
  const plan = w.run("markus");
  assert.deepEqual(plan.report.suspended, [a.id]);
  assert.deepEqual(plan.pairs.flatMap((p) => p.actions), []);
  assert.equal([...w.links.get("markus")!.values()][0]!.state, "suspended");
  w.crmUpdate(a.id, { participantIds: ["giulia", "markus"] });
  assert.deepEqual(actionsOf(w, "markus"), ["updateInGraph"]);
  assert.equal([...w.calendars.get("markus")!.values()][0]!.subject, "Changed while suspended");
});

Deno.test("planCalendar() cancels in the CRM when the organizer deletes in Outlook; a participant among several only leaves (E6)", () => {
  const w = new World(["giulia", "markus"]);
  const a = w.crmCreate(apptFields({ participantIds: ["giulia", "markus"] }));
  w.settle();
  w.calendars.get("markus")!.clear();
  const plan = w.run("markus");
  assert.deepEqual(plan.pairs.flatMap((p) => p.actions.map((x) => x.kind)), ["removeParticipantInCrm"]);
  assert.equal(plan.removals.inCrm, 1);
  assert.deepEqual(w.crm.get(a.id)!.participantIds, ["giulia"]);
  assert.equal(w.crm.get(a.id)!.cancelled, false);
  w.calendars.get("giulia")!.clear();
  assert.deepEqual(actionsOf(w, "giulia"), ["cancelInCrm"]);
  assert.equal(w.crm.get(a.id)!.cancelled, true);
  assert.equal(w.settle(), 0);
});

Deno.test("planCalendar() deletes every linked copy when the CRM deletes the appointment, counted for P6 (E6)", () => {
  const w = new World(["giulia", "markus"]);
  const a = w.crmCreate(apptFields({ participantIds: ["giulia", "markus"] }));
  w.settle();
  w.crm.delete(a.id);
  const plan = w.run("giulia");
  assert.equal(plan.removals.inOutlook, 1);
  w.settle();
  for (const u of w.users) assert.equal(w.calendars.get(u)!.size, 0);
  for (const u of w.users) assert.equal(w.links.get(u)!.size, 0);
});

Deno.test("planCalendar() treats an appointment leaving the window as no delete (E3)", () => {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields());
  w.settle();
  w.crmUpdate(a.id, {
    start: { dateTime: "2028-06-10T09:00:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2028-06-10T10:00:00", timeZone: "Europe/Berlin" },
  });
  assert.deepEqual(actionsOf(w, "giulia"), ["updateInGraph"]); // its copy follows, it is not deleted
  assert.equal(w.settle(), 0);
  assert.equal(w.calendars.get("giulia")!.size, 1);
});

Deno.test("planCalendar() imports an Outlook event into the CRM, stamps it, and never twice (A9 stamp)", () => {
  const w = new World(["giulia"]);
  w.graphCreate("giulia", {
    subject: "Call",
    start: { dateTime: "2026-06-12T14:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2026-06-12T14:30:00", timeZone: "W. Europe Standard Time" },
    reminderMinutesBeforeStart: 20,
  });
  assert.deepEqual(actionsOf(w, "giulia"), ["createInCrm", "stampInGraph"]);
  const [a] = [...w.crm.values()];
  assert.equal(a!.start.timeZone, "Europe/Berlin");
  assert.equal(a!.start.dateTime, "2026-06-12T14:00:00");
  assert.equal(a!.reminderMinutes, 15);
  assert.deepEqual(actionsOf(w, "giulia"), []);
  assert.equal(w.crm.size, 1);
});

Deno.test("planCalendar() resumes a create interrupted after Graph wrote it: found by stamp, not created twice", () => {
  const w = new World(["giulia"]);
  w.crmCreate(apptFields());
  const plan = w.run("giulia");
  assert.equal(plan.pairs[0]!.pre?.intent, "creating_in_graph");
  // Forge the crash: put the intent row back as if the after-row had never been written.
  const rows = w.links.get("giulia")!;
  rows.set(plan.pairs[0]!.pre!.id, plan.pairs[0]!.pre!);
  assert.equal(w.run("giulia").pairs.flatMap((p) => p.actions).length, 0);
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.equal([...rows.values()][0]!.intent, null);
});

Deno.test("caseOf() rows: the case table reads as documented", () => {
  const rows: [Parameters<typeof caseOf>, string][] = [
    [["in", "none", "none"], "createInOutlook"],
    [["in", "present", "none"], "firstLink"],
    [["in", "present", "linked"], "merge"],
    [["in", "unchanged", "linked"], "merge"],
    [["in", "removed", "linked"], "outlookRemoved"],
    [["in", "none", "creatingInGraph"], "createInOutlook"],
    [["in", "waiting", "none"], "hold"],
    [["none", "present", "none"], "createInCrm"],
    [["none", "present", "creatingInCrm"], "createInCrm"],
    [["none", "shared", "none"], "joinShared"],
    [["none", "waiting", "none"], "hold"],
    [["none", "removed", "creatingInCrm"], "forget"],
    [["unchanged", "present", "linked"], "merge"],
    [["unchanged", "unchanged", "linked"], "keep"],
    [["unchanged", "removed", "linked"], "outlookRemoved"],
    [["deleted", "present", "linked"], "deleteInOutlook"],
    [["deleted", "removed", "linked"], "forget"],
    [["left", "unchanged", "linked"], "deleteInOutlook"],
    [["left", "none", "linked"], "forget"],
    [["outside", "removed", "linked"], "keep"],
    [["outside", "present", "linked"], "merge"],
    [["outside", "present", "none"], "nothing"],
    [["cancelled", "present", "linked"], "cancelCopy"],
    [["cancelled", "none", "linked"], "keep"],
    [["cancelled", "present", "none"], "skip"],
    [["cancelled", "none", "none"], "skip"],
    [["suspended", "removed", "linked"], "suspend"],
    [["in", "duplicate", "none"], "deleteDuplicate"],
  ];
  for (const [args, want] of rows) assert.equal(caseOf(...args), want, args.join(" × "));
});

Deno.test("planCalendar() writes nothing when the window moves past linked appointments, and nothing comes back doubled (E3)", () => {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields());
  w.graphCreate("giulia", {
    subject: "Outlook only",
    start: { dateTime: "2026-06-05T09:00:00", timeZone: "UTC" },
    end: { dateTime: "2026-06-05T10:00:00", timeZone: "UTC" },
  });
  w.settle();
  assert.equal(w.crm.size, 2);
  const old = w.window;
  w.window = { start: "2026-07-01T00:00:00Z", end: "2027-07-01T00:00:00Z" };
  const plan = w.run("giulia");
  assert.deepEqual(plan.pairs.flatMap((p) => p.actions), []);
  assert.equal(plan.removals.inCrm + plan.removals.inOutlook, 0);
  assert.equal(w.crm.get(a.id)!.cancelled, false);
  w.window = old; // and back: both are found again, not copied
  assert.deepEqual(w.run("giulia").pairs.flatMap((p) => p.actions), []);
  assert.equal(w.calendars.get("giulia")!.size, 2);
  assert.equal(w.crm.size, 2);
});

Deno.test("planCalendar() resumes a CRM create interrupted before its row got the id: the created appointment is claimed, never copied back", () => {
  const w = new World(["giulia"]);
  w.graphCreate("giulia", {
    subject: "Call",
    start: { dateTime: "2026-06-12T14:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2026-06-12T14:30:00", timeZone: "W. Europe Standard Time" },
  });
  const plan = w.run("giulia");
  const pre = plan.pairs[0]!.pre!;
  assert.equal(pre.intent, "creating_in_crm");
  // The process died after the CRM create: the intent row is all that was kept, the event unstamped.
  const rows = w.links.get("giulia")!;
  rows.clear();
  rows.set(pre.id, pre);
  const [e] = [...w.calendars.get("giulia")!.values()];
  w.calendars.get("giulia")!.set(e!.id, { ...e!, singleValueExtendedProperties: [] });
  const again = w.run("giulia");
  assert.deepEqual(again.pairs.flatMap((p) => p.actions.map((a) => a.kind)), ["updateInGraph"]); // the stamp
  assert.equal(w.crm.size, 1);
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.equal([...rows.values()][0]!.crmId, [...w.crm.keys()][0]);
  assert.equal(w.settle(), 0);
});
