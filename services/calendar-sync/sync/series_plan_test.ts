import assert from "node:assert/strict";
import type { Series } from "@app/shared/contract";
import { apptFields, World } from "./_test_world.ts";
import { stampOf } from "./graph_event.ts";
import type { CalendarAction } from "./types.ts";

const kinds = (w: World, u: string) => w.run(u).pairs.flatMap((p) => p.actions.map((a) => a.kind));

const monthly: Series = {
  pattern: {
    type: "relativeMonthly",
    interval: 1,
    daysOfWeek: ["wednesday"],
    index: "second",
    firstDayOfWeek: "sunday",
  },
  range: { type: "numbered", startDate: "2026-06-10", numberOfOccurrences: 6 },
  exceptions: [],
};

function seriesWorld(series: Series = monthly, start = "2026-06-10") {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields({
    series,
    start: { dateTime: `${start}T09:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${start}T10:00:00`, timeZone: "Europe/Berlin" },
  }));
  w.settle();
  const [master] = [...w.calendars.get("giulia")!.values()];
  return { w, a, master: master! };
}

function outlookOccurrence(
  w: World,
  masterId: string,
  action: Partial<CalendarAction> & { kind: CalendarAction["kind"] },
) {
  w.occEdits.set(masterId, [...(w.occEdits.get(masterId) ?? []), {
    seriesMasterId: masterId,
    timeZone: "Europe/Berlin",
    ...action,
  } as CalendarAction]);
}

Deno.test("planCalendar() series: a relative-monthly series goes to Outlook as one master and the second run is silent (E8)", () => {
  const { w, master } = seriesWorld();
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.equal(master.recurrence?.pattern.type, "relativeMonthly");
  assert.equal(master.recurrence?.pattern.index, "second");
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: an occurrence moved and one cancelled in Outlook become CRM exceptions by original start (E8)", () => {
  const { w, a, master } = seriesWorld();
  outlookOccurrence(w, master.id, {
    kind: "updateOccurrenceInGraph",
    originalStart: "2026-07-08T09:00:00",
    body: {
      subject: "Viewing",
      start: { dateTime: "2026-07-08T11:00:00", timeZone: "W. Europe Standard Time" },
      end: { dateTime: "2026-07-08T12:00:00", timeZone: "W. Europe Standard Time" },
    },
  });
  outlookOccurrence(w, master.id, { kind: "cancelOccurrenceInGraph", originalStart: "2026-08-12T09:00:00" });
  assert.deepEqual(kinds(w, "giulia"), ["updateInCrm"]);
  const ex = w.crm.get(a.id)!.series!.exceptions;
  assert.deepEqual(ex, [
    {
      originalStart: "2026-07-08T09:00:00",
      cancelled: false,
      override: { start: "2026-07-08T11:00:00", end: "2026-07-08T12:00:00" },
    },
    { originalStart: "2026-08-12T09:00:00", cancelled: true, override: {} },
  ]);
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: a CRM exception reaches Outlook as an occurrence write found by original start (E8)", () => {
  const { w, a, master } = seriesWorld({
    ...monthly,
    pattern: {
      type: "weekly",
      interval: 1,
      daysOfWeek: ["tuesday", "thursday"],
      index: "first",
      firstDayOfWeek: "sunday",
    },
    range: { type: "endDate", startDate: "2026-06-09", endDate: "2026-07-31" },
  }, "2026-06-09");
  w.crmUpdate(a.id, {
    series: {
      ...w.crm.get(a.id)!.series!,
      exceptions: [{
        originalStart: "2026-06-18T09:00:00",
        cancelled: false,
        override: { subject: "Final walkthrough" },
      }],
    },
  });
  const plan = w.run("giulia");
  const acts = plan.pairs.flatMap((p) => p.actions);
  assert.deepEqual(acts.map((x) => x.kind), ["updateOccurrenceInGraph"]);
  const occ = acts[0] as Extract<CalendarAction, { kind: "updateOccurrenceInGraph" }>;
  assert.equal(occ.seriesMasterId, master.id);
  assert.equal(occ.originalStart, "2026-06-18T09:00:00");
  assert.equal(occ.body.subject, "Final walkthrough");
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: a whole-series pattern change rewrites the exceptions Outlook drops and says so (E8)", () => {
  const { w, a } = seriesWorld();
  const s = w.crm.get(a.id)!.series!;
  w.crmUpdate(a.id, {
    series: { ...s, exceptions: [{ originalStart: "2026-07-08T09:00:00", cancelled: true, override: {} }] },
  });
  w.settle();
  w.crmUpdate(a.id, { series: { ...w.crm.get(a.id)!.series!, range: { ...s.range, numberOfOccurrences: 8 } } });
  const plan = w.run("giulia");
  assert.deepEqual(plan.pairs.flatMap((p) => p.actions.map((x) => x.kind)), [
    "updateInGraph",
    "cancelOccurrenceInGraph",
  ]);
  assert.equal(plan.report.warnings[0]?.code, "series_exceptions_rewritten");
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: 'this and following' in Outlook ends the series and starts a new one in the CRM, no occurrence doubled (E8)", () => {
  const { w, a, master } = seriesWorld();
  // Outlook: the series now ends before 2026-09-09, and a new series starts there at 10:00.
  w.graphUpdate("giulia", master.id, {
    recurrence: {
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["wednesday"], index: "second" },
      range: {
        type: "endDate",
        startDate: "2026-06-10",
        endDate: "2026-09-08",
        recurrenceTimeZone: "W. Europe Standard Time",
      },
    },
  });
  w.graphCreate("giulia", {
    subject: "Viewing",
    start: { dateTime: "2026-09-09T10:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2026-09-09T11:00:00", timeZone: "W. Europe Standard Time" },
    recurrence: {
      pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["wednesday"], index: "second" },
      range: {
        type: "numbered",
        startDate: "2026-09-09",
        numberOfOccurrences: 3,
        recurrenceTimeZone: "W. Europe Standard Time",
      },
    },
  });
  assert.deepEqual(kinds(w, "giulia").sort(), ["createInCrm", "stampInGraph", "updateInCrm"]);
  const old = w.crm.get(a.id)!;
  assert.deepEqual(old.series!.range, { type: "endDate", startDate: "2026-06-10", endDate: "2026-09-08" });
  const fresh = [...w.crm.values()].find((x) => x.id !== a.id)!;
  assert.equal(fresh.series!.range.startDate, "2026-09-09");
  assert.equal(fresh.start.dateTime, "2026-09-09T10:00:00");
  assert.equal(w.crm.size, 2);
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: a series turned into a single appointment in the CRM and back replaces the Outlook event (E8)", () => {
  const { w, a } = seriesWorld();
  w.crmUpdate(a.id, { series: null });
  assert.deepEqual(kinds(w, "giulia"), ["deleteInGraph", "createInGraph"]);
  const [single] = [...w.calendars.get("giulia")!.values()];
  assert.equal(single!.recurrence ?? null, null);
  assert.equal(stampOf(single!), a.id);
  assert.deepEqual(kinds(w, "giulia"), []);
  w.crmUpdate(a.id, { series: monthly });
  assert.deepEqual(kinds(w, "giulia"), ["deleteInGraph", "createInGraph"]);
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: a series that began before the window syncs as one series; exceptions outside the window are kept (E3, E8)", () => {
  const { w, a } = seriesWorld({
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"], index: "first", firstDayOfWeek: "monday" },
    range: { type: "noEnd", startDate: "2026-01-05" },
    exceptions: [
      { originalStart: "2026-02-02T09:00:00", cancelled: true, override: {} },
      { originalStart: "2026-06-15T09:00:00", cancelled: false, override: { location: "Office" } },
    ],
  }, "2026-01-05");
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.deepEqual(w.crm.get(a.id)!.series!.exceptions.length, 2);
  assert.deepEqual(kinds(w, "giulia"), []);
});

Deno.test("planCalendar() series: an all-day yearly series keeps its date in a far zone (E8, E11)", () => {
  const w = new World(["giulia"]);
  const a = w.crmCreate(apptFields({
    allDay: true,
    start: { dateTime: "2026-07-04T00:00:00", timeZone: "Pacific/Kiritimati" },
    end: { dateTime: "2026-07-05T00:00:00", timeZone: "Pacific/Kiritimati" },
    series: {
      pattern: {
        type: "absoluteYearly",
        interval: 1,
        dayOfMonth: 4,
        month: 7,
        daysOfWeek: [],
        index: "first",
        firstDayOfWeek: "sunday",
      },
      range: { type: "noEnd", startDate: "2026-07-04" },
      exceptions: [],
    },
  }));
  w.settle();
  const [e] = [...w.calendars.get("giulia")!.values()];
  assert.equal(e!.isAllDay, true);
  assert.equal(e!.start.dateTime.slice(0, 10), "2026-07-04");
  assert.deepEqual(kinds(w, "giulia"), []);
  assert.equal(w.crm.get(a.id)!.start.dateTime, "2026-07-04T00:00:00");
});

Deno.test("planCalendar() series: a group member who deletes one occurrence gets it back; the CRM keeps it (E4, E8)", () => {
  const w = new World(["giulia", "markus"]);
  w.groups.set("sales", ["markus"]);
  const a = w.crmCreate(apptFields({
    series: monthly,
    groupIds: ["sales"],
    start: { dateTime: "2026-06-10T09:00:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-06-10T10:00:00", timeZone: "Europe/Berlin" },
  }));
  w.settle();
  const [copy] = [...w.calendars.get("markus")!.values()];
  outlookOccurrence(w, copy!.id, { kind: "cancelOccurrenceInGraph", originalStart: "2026-07-08T09:00:00" });
  assert.deepEqual(kinds(w, "markus"), ["deleteInGraph", "createInGraph"]);
  assert.deepEqual(w.crm.get(a.id)!.series!.exceptions, []);
  const [again] = [...w.calendars.get("markus")!.values()];
  assert.equal(w.occEdits.get(again!.id), undefined, "the new copy has every occurrence");
  assert.equal(w.settle(), 0);
});

Deno.test("planCalendar() series: a participant among several who deletes one occurrence does not cancel it for the others (E6, E8)", () => {
  const w = new World(["giulia", "markus"]);
  const a = w.crmCreate(apptFields({
    series: monthly,
    participantIds: ["giulia", "markus"],
    start: { dateTime: "2026-06-10T09:00:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-06-10T10:00:00", timeZone: "Europe/Berlin" },
  }));
  w.settle();
  const [copy] = [...w.calendars.get("markus")!.values()];
  outlookOccurrence(w, copy!.id, { kind: "cancelOccurrenceInGraph", originalStart: "2026-07-08T09:00:00" });
  const plan = w.run("markus");
  assert.deepEqual(plan.pairs.flatMap((p) => p.actions), []);
  assert.equal(plan.report.warnings[0]?.code, "occurrence_left");
  assert.deepEqual(w.crm.get(a.id)!.series!.exceptions, []);
  assert.equal(w.settle(), 0);
});

Deno.test("planCalendar() series: the organizer deleting one occurrence cancels it in the CRM and in every member's copy (E6, E8)", () => {
  const w = new World(["giulia", "markus"]);
  const a = w.crmCreate(apptFields({
    series: monthly,
    participantIds: ["giulia", "markus"],
    start: { dateTime: "2026-06-10T09:00:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-06-10T10:00:00", timeZone: "Europe/Berlin" },
  }));
  w.settle();
  const [copy] = [...w.calendars.get("giulia")!.values()];
  outlookOccurrence(w, copy!.id, { kind: "cancelOccurrenceInGraph", originalStart: "2026-07-08T09:00:00" });
  w.settle();
  assert.deepEqual(w.crm.get(a.id)!.series!.exceptions, [
    { originalStart: "2026-07-08T09:00:00", cancelled: true, override: {} },
  ]);
  const [markusCopy] = [...w.calendars.get("markus")!.values()];
  assert.deepEqual(w.occEdits.get(markusCopy!.id)?.map((x) => x.kind), ["cancelOccurrenceInGraph"]);
  assert.equal(w.settle(), 0);
});

Deno.test("planCalendar() series: a run that dies right after creating a replaced series keeps the CRM's exceptions; the next run writes them to the new copy (E8)", () => {
  const { w, a } = seriesWorld();
  const s = w.crm.get(a.id)!.series!;
  const moved = { originalStart: "2026-07-08T09:00:00", cancelled: false, override: { subject: "Second visit" } };
  w.crmUpdate(a.id, {
    series: { ...s, exceptions: [moved, { originalStart: "2026-08-12T09:00:00", cancelled: true, override: {} }] },
  });
  w.settle();
  // The CRM brings the cancelled occurrence back: Graph cannot restore it, so the copy is replaced.
  w.crmUpdate(a.id, { series: { ...s, exceptions: [moved] } });
  w.crashAfter = (x) => x.kind === "createInGraph";
  assert.deepEqual(kinds(w, "giulia"), ["deleteInGraph", "createInGraph", "updateOccurrenceInGraph"]);
  w.crashAfter = () => false;
  // The new copy has no exception yet: that is what the create alone wrote, not an Outlook edit.
  assert.deepEqual(kinds(w, "giulia"), ["updateOccurrenceInGraph"]);
  assert.deepEqual(w.crm.get(a.id)!.series!.exceptions, [moved]);
  const [copy] = [...w.calendars.get("giulia")!.values()];
  const occ = w.occEdits.get(copy!.id)!;
  assert.deepEqual(occ.map((x) => x.kind === "updateOccurrenceInGraph" && [x.originalStart, x.body.subject]), [
    ["2026-07-08T09:00:00", "Second visit"],
  ]);
  assert.equal(w.settle(), 0);
});

Deno.test("planCalendar() series: when the delete of a replaced series fails, the next run merges the old copy against its own snapshot and replaces it again (E8)", () => {
  const { w, a } = seriesWorld();
  const s = w.crm.get(a.id)!.series!;
  const moved = { originalStart: "2026-07-08T09:00:00", cancelled: false, override: { subject: "Second visit" } };
  w.crmUpdate(a.id, {
    series: { ...s, exceptions: [moved, { originalStart: "2026-08-12T09:00:00", cancelled: true, override: {} }] },
  });
  w.settle();
  w.crmUpdate(a.id, { series: { ...s, exceptions: [moved] } });
  w.failWrite = (x) => x.kind === "deleteInGraph";
  assert.deepEqual(kinds(w, "giulia"), ["deleteInGraph", "createInGraph", "updateOccurrenceInGraph"]);
  w.failWrite = () => false;
  assert.deepEqual(kinds(w, "giulia"), ["deleteInGraph", "createInGraph", "updateOccurrenceInGraph"]);
  assert.deepEqual(w.crm.get(a.id)!.series!.exceptions, [moved]);
  assert.equal(w.calendars.get("giulia")!.size, 1);
  assert.equal(w.settle(), 0);
});
