// fast-check model test of planCalendar(): random edits, cancels, deletes and creates on both
// sides, membership changes and failed writes; after every step all members sync until quiet and
// both sides must equal the model, with no duplicate and nothing deleted the model keeps.
//
// 300 runs with a random seed by default. To hunt a rare failure, or replay one fast-check printed:
//   MODEL_RUNS=5000 sh scripts/deno.sh test -A services/calendar-sync/sync/plan_model_test.ts
//   MODEL_SEED=<seed> MODEL_PATH=<path> sh scripts/deno.sh test -A services/calendar-sync/sync/plan_model_test.ts
import assert from "node:assert/strict";
import fc from "fast-check";
import { z } from "zod";
import type { Appointment } from "@app/shared/contract";
import type { GraphEvent } from "./graph_event.ts";
import { apptFields, World } from "./_test_world.ts";
import { stampOf } from "./graph_event.ts";
import { reminderChoice } from "./reminder.ts";
import { epochOf, graphTimeToLocal, ianaZone, localOf, normaliseLocal } from "./time_zone.ts";
import { patternStarts } from "./series.ts";
import { graphInstances } from "./_test_series.ts";
import { WINDOW } from "./_test_world.ts";
import type { GraphEventWrite } from "./graph_event.ts";

const USERS = ["giulia", "markus", "sofia"] as const;
const ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "UTC"] as const;
const H = 3_600_000;

interface ModelAppt {
  subject: string;
  location: string;
  start: number;
  end: number;
  reminder: number | null;
  private: boolean;
  cancelled: boolean;
  organizer: string;
  participants: Set<string>;
  groups: string[];
  deleted: boolean;
  /** Series: exceptions by original local start (cancelled or a new subject) and who left which occurrence. */
  series: { exceptions: Map<string, { cancelled: boolean; subject?: string }>; left: Map<string, Set<string>> } | null;
}

type Op =
  | {
    t: "crmCreate";
    organizer: number;
    others: boolean[];
    group: boolean;
    day: number;
    hour: number;
    zone: number;
    reminder: number;
    series: boolean;
  }
  | { t: "crmException"; pick: number; n: number; cancel: boolean; v: number }
  | { t: "outlookOccurrence"; user: number; pick: number; n: number; cancel: boolean; v: number }
  | { t: "crmEdit"; pick: number; field: "subject" | "location" | "time" | "reminder" | "private"; v: number }
  | { t: "crmCancel"; pick: number }
  | { t: "crmDelete"; pick: number }
  | {
    t: "outlookEdit";
    user: number;
    pick: number;
    field: "subject" | "location" | "time" | "reminder" | "private";
    v: number;
  }
  | { t: "outlookDelete"; user: number; pick: number }
  | { t: "outlookCreate"; user: number; day: number; hour: number; v: number }
  | { t: "members"; members: boolean[] };

const field = fc.constantFrom("subject", "location", "time", "reminder", "private") as fc.Arbitrary<
  "subject" | "location" | "time" | "reminder" | "private"
>;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant("crmCreate" as const),
    organizer: fc.nat(2),
    others: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    group: fc.boolean(),
    day: fc.integer({ min: 2, max: 150 }),
    hour: fc.integer({ min: 6, max: 20 }),
    zone: fc.nat(3),
    reminder: fc.nat(10),
    series: fc.boolean(),
  }),
  fc.record({
    t: fc.constant("crmException" as const),
    pick: fc.nat(),
    n: fc.nat(4),
    cancel: fc.boolean(),
    v: fc.nat(1000),
  }),
  fc.record({
    t: fc.constant("outlookOccurrence" as const),
    user: fc.nat(2),
    pick: fc.nat(),
    n: fc.nat(4),
    cancel: fc.boolean(),
    v: fc.nat(1000),
  }),
  fc.record({ t: fc.constant("crmEdit" as const), pick: fc.nat(), field, v: fc.nat(1000) }),
  fc.record({ t: fc.constant("crmCancel" as const), pick: fc.nat() }),
  fc.record({ t: fc.constant("crmDelete" as const), pick: fc.nat() }),
  fc.record({ t: fc.constant("outlookEdit" as const), user: fc.nat(2), pick: fc.nat(), field, v: fc.nat(1000) }),
  fc.record({ t: fc.constant("outlookDelete" as const), user: fc.nat(2), pick: fc.nat() }),
  fc.record({
    t: fc.constant("outlookCreate" as const),
    user: fc.nat(2),
    day: fc.integer({ min: 2, max: 150 }),
    hour: fc.integer({ min: 6, max: 20 }),
    v: fc.nat(1000),
  }),
  fc.record({ t: fc.constant("members" as const), members: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
);

const CHOICES = [0, 15, 30, 60, 120, 180, 1_440, 2_880, 4_320, 10_080, 30_240];

function weeklySeries(date: string): Appointment["series"] {
  const day = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][
    new Date(`${date}T00:00:00Z`).getUTCDay()
  ] as "monday";
  return {
    pattern: { type: "weekly", interval: 1, daysOfWeek: [day], index: "first", firstDayOfWeek: "sunday" },
    range: { type: "numbered", startDate: date, numberOfOccurrences: 5 },
    exceptions: [],
  };
}

/** The original local starts of a CRM series (5 weekly slots). */
function occurrenceStarts(a: Appointment): string[] {
  return patternStarts(
    a.series!,
    normaliseLocal(a.start.dateTime).slice(11),
    "2026-01-01T00:00:00",
    "2028-01-01T00:00:00",
  );
}

class Model {
  appts = new Map<string, ModelAppt>();
  /** Outlook-born appointments not yet given a CRM id: user and event id. */
  pending: { user: string; graphId: string; appt: ModelAppt }[] = [];
  groups = new Map<string, string[]>([["sales", []]]);

  takesPart(a: ModelAppt, u: string): boolean {
    return a.organizer === u || a.participants.has(u) || a.groups.some((g) => this.groups.get(g)?.includes(u));
  }
  people(a: ModelAppt): number {
    const s = new Set([a.organizer, ...a.participants, ...a.groups.flatMap((g) => this.groups.get(g) ?? [])]);
    return s.size;
  }
  live(): [string, ModelAppt][] {
    return [...this.appts].filter(([, a]) => !a.deleted);
  }
}

function crmTimes(a: Appointment) {
  return {
    start: epochOf(normaliseLocal(a.start.dateTime), a.start.timeZone),
    end: epochOf(normaliseLocal(a.end.dateTime), a.end.timeZone),
  };
}

function step(w: World, m: Model, op: Op): void {
  const live = m.live();
  switch (op.t) {
    case "crmCreate": {
      const organizer = USERS[op.organizer]!;
      const participants = USERS.filter((u, i) => u === organizer || op.others[i]);
      const zone = ZONES[op.zone]!;
      const start = Date.parse("2026-06-01T00:00:00Z") + op.day * 24 * H + op.hour * H;
      const a = w.crmCreate(apptFields({
        subject: `S${op.day}`,
        organizerId: organizer,
        participantIds: [...participants],
        groupIds: op.group ? ["sales"] : [],
        start: { dateTime: localOf(start, zone), timeZone: zone },
        end: { dateTime: localOf(start + H, zone), timeZone: zone },
        reminderMinutes: CHOICES[op.reminder]!,
        series: op.series ? weeklySeries(localOf(start, zone).slice(0, 10)) : null,
      }));
      const { start: s, end: e } = crmTimes(a);
      m.appts.set(a.id, {
        subject: a.subject,
        location: a.location,
        start: s,
        end: e,
        reminder: a.reminderMinutes,
        private: false,
        cancelled: false,
        organizer,
        participants: new Set(participants),
        groups: a.groupIds,
        deleted: false,
        series: op.series ? { exceptions: new Map(), left: new Map() } : null,
      });
      return;
    }
    case "crmException": {
      const hit = live.filter(([, a]) => a.series && !a.cancelled)[op.pick % Math.max(1, live.length)];
      if (!hit) return;
      const [id, a] = hit;
      const rec = w.crm.get(id)!;
      const k = occurrenceStarts(rec)[op.n]!;
      const ex = rec.series!.exceptions.filter((e) => e.originalStart !== k);
      const e = op.cancel ? { cancelled: true } : { cancelled: false, subject: `X${op.v}` };
      ex.push({ originalStart: k, cancelled: e.cancelled, override: e.subject ? { subject: e.subject } : {} });
      // Bringing back a cancelled occurrence rewrites every copy (Graph cannot restore one): the new
      // copy has every occurrence the CRM keeps, also those a participant had deleted for themself.
      if (a.series!.exceptions.get(k)?.cancelled && !e.cancelled) a.series!.left.clear();
      a.series!.exceptions.set(k, e);
      w.crmUpdate(id, { series: { ...rec.series!, exceptions: ex } });
      return;
    }
    case "outlookOccurrence": {
      const user = USERS[op.user]!;
      const cal = w.calendars.get(user)!;
      const masters = [...cal.values()].filter((e) => e.recurrence && stampOf(e) && m.appts.has(stampOf(e)!));
      const e = masters[op.pick % Math.max(1, masters.length)];
      if (!e) return;
      const id = stampOf(e)!;
      const a = m.appts.get(id)!;
      const k = occurrenceStarts(w.crm.get(id)!)[op.n]!;
      const cur = a.series!.exceptions.get(k);
      if (cur?.cancelled || a.series!.left.get(user)?.has(k)) return; // already gone in this calendar
      const zone = w.crm.get(id)!.start.timeZone;
      if (op.cancel) {
        w.occEdits.set(e.id, [...(w.occEdits.get(e.id) ?? []), {
          kind: "cancelOccurrenceInGraph",
          seriesMasterId: e.id,
          originalStart: k,
          timeZone: zone,
        }]);
        const direct = a.organizer === user || a.participants.has(user);
        if (a.organizer === user) a.series!.exceptions.set(k, { cancelled: true });
        else if (direct && m.people(a) > 1) {
          a.series!.left.set(user, new Set([...(a.series!.left.get(user) ?? []), k]));
        }
        return;
      }
      const subject = `X${op.v}`;
      w.occEdits.set(e.id, [...(w.occEdits.get(e.id) ?? []), {
        kind: "updateOccurrenceInGraph",
        seriesMasterId: e.id,
        originalStart: k,
        timeZone: zone,
        body: { subject },
      }]);
      a.series!.exceptions.set(k, { cancelled: false, subject });
      return;
    }
    case "crmEdit": {
      const hit = live.filter(([, a]) => !a.cancelled)[op.pick % Math.max(1, live.length)];
      if (!hit) return;
      const [id, a] = hit;
      const cur = w.crm.get(id)!;
      if (op.field === "subject") w.crmUpdate(id, { subject: a.subject = `C${op.v}` });
      if (op.field === "location") w.crmUpdate(id, { location: a.location = `L${op.v}` });
      if (op.field === "reminder") w.crmUpdate(id, { reminderMinutes: a.reminder = CHOICES[op.v % CHOICES.length]! });
      if (op.field === "private") w.crmUpdate(id, { private: a.private = !a.private });
      if (op.field === "time" && !a.series) {
        const shift = ((op.v % 7) - 3) * H;
        a.start += shift;
        a.end += shift;
        const z = cur.start.timeZone;
        w.crmUpdate(id, {
          start: { dateTime: localOf(a.start, z), timeZone: z },
          end: { dateTime: localOf(a.end, z), timeZone: z },
        });
      }
      return;
    }
    case "crmCancel": {
      const hit = live[op.pick % Math.max(1, live.length)];
      if (!hit) return;
      hit[1].cancelled = true;
      w.crmUpdate(hit[0], { cancelled: true });
      return;
    }
    case "crmDelete": {
      const hit = live[op.pick % Math.max(1, live.length)];
      if (!hit) return;
      hit[1].deleted = true;
      w.crm.delete(hit[0]);
      return;
    }
    case "outlookEdit":
    case "outlookDelete": {
      const user = USERS[op.user]!;
      const cal = w.calendars.get(user)!;
      const events = [...cal.values()].filter((e) => stampOf(e) && m.appts.has(stampOf(e)!));
      const e = events[op.pick % Math.max(1, events.length)];
      if (!e) return;
      const a = m.appts.get(stampOf(e)!)!;
      if (op.t === "outlookDelete") {
        cal.delete(e.id);
        const direct = a.organizer === user || a.participants.has(user);
        if (a.organizer === user) a.cancelled = true;
        else if (direct && m.people(a) > 1) a.participants.delete(user);
        if (!m.takesPart(a, user)) a.series?.left.delete(user);
        else a.series?.left.delete(user); // a recreated copy has every occurrence
        return;
      }
      if (op.field === "subject") w.graphUpdate(user, e.id, { subject: a.subject = `O${op.v}` });
      if (op.field === "location") w.graphUpdate(user, e.id, { location: { displayName: a.location = `M${op.v}` } });
      if (op.field === "private") {
        if (op.field === "private") {
          a.private = !a.private;
          w.graphUpdate(user, e.id, { sensitivity: a.private ? "private" : "normal" });
        }
      }
      if (op.field === "reminder") {
        a.reminder = reminderChoice(op.v);
        w.graphUpdate(user, e.id, { isReminderOn: true, reminderMinutesBeforeStart: op.v });
      }
      if (op.field === "time" && !a.series) {
        const shift = ((op.v % 5) - 2) * H;
        a.start += shift;
        a.end += shift;
        const zone = ianaZone(e.originalStartTimeZone, "UTC");
        const tz = e.start.timeZone;
        w.graphUpdate(user, e.id, {
          start: { dateTime: localOf(a.start, zone), timeZone: tz },
          end: { dateTime: localOf(a.end, zone), timeZone: tz },
        });
      }
      return;
    }
    case "outlookCreate": {
      const user = USERS[op.user]!;
      const start = Date.parse("2026-06-01T00:00:00Z") + op.day * 24 * H + op.hour * H;
      const e = w.graphCreate(user, {
        subject: `N${op.v}`,
        start: { dateTime: localOf(start, "Europe/Berlin"), timeZone: "W. Europe Standard Time" },
        end: { dateTime: localOf(start + H, "Europe/Berlin"), timeZone: "W. Europe Standard Time" },
        reminderMinutesBeforeStart: op.v % 100,
      });
      m.pending.push({
        user,
        graphId: e.id,
        appt: {
          subject: `N${op.v}`,
          location: "",
          start,
          end: start + H,
          reminder: reminderChoice(op.v % 100),
          private: false,
          cancelled: false,
          organizer: user,
          participants: new Set([user]),
          groups: [],
          deleted: false,
          series: null,
        },
      });
      return;
    }
    case "members": {
      const members = USERS.filter((_, i) => op.members[i]);
      m.groups.set("sales", [...members]);
      for (const [, a] of m.appts) for (const u of USERS) if (!m.takesPart(a, u)) a.series?.left.delete(u);
      w.groups.set("sales", [...members]);
      return;
    }
  }
}

function check(w: World, m: Model): void {
  for (const p of m.pending.splice(0)) {
    const e = w.calendars.get(p.user)!.get(p.graphId);
    assert.ok(e, "an Outlook-born event stays");
    const id = stampOf(e!);
    assert.ok(id && w.crm.has(id), "an Outlook-born event reached the CRM and is stamped");
    m.appts.set(id!, p.appt);
  }
  const stamped = new Map<string, number>();
  for (const u of USERS) {
    for (const e of w.calendars.get(u)!.values()) {
      const id = stampOf(e);
      assert.ok(id, `every event in ${u}'s calendar is linked`);
      const key = `${u}|${id}`;
      stamped.set(key, (stamped.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of stamped) assert.equal(n, 1, `duplicate copy ${key}`);
  assert.equal(w.crm.size, m.live().length, "CRM holds exactly the model's appointments");
  for (const [id, a] of m.appts) {
    const rec = w.crm.get(id);
    if (a.deleted) {
      assert.equal(rec, undefined);
      for (const u of USERS) assert.ok(!stamped.has(`${u}|${id}`), "no copy of a deleted appointment");
      continue;
    }
    assert.ok(rec, `the CRM keeps ${id}`);
    assert.equal(rec.subject, a.subject);
    assert.equal(rec.location, a.location);
    assert.deepEqual(crmTimes(rec), { start: a.start, end: a.end });
    assert.equal(rec.reminderMinutes, a.reminder);
    assert.equal(rec.private, a.private);
    assert.equal(rec.cancelled, a.cancelled);
    assert.deepEqual([...rec.participantIds].sort(), [...a.participants].sort());
    for (const u of USERS) {
      const want = !a.cancelled && m.takesPart(a, u);
      const e = [...w.calendars.get(u)!.values()].find((x) => stampOf(x) === id);
      assert.equal(!!e, want, `${u} has a copy of ${id}: ${want}`);
      if (!e) continue;
      assert.equal(e.subject, a.subject);
      assert.equal(e.location?.displayName ?? "", a.location);
      assert.equal(reminderChoice(e.isReminderOn ? e.reminderMinutesBeforeStart ?? 15 : null), a.reminder);
      assert.equal(e.sensitivity !== "normal", a.private);
      const zone = ianaZone(e.originalStartTimeZone, "UTC");
      assert.equal(epochOf(normaliseLocal(e.start.dateTime), ianaZone(e.start.timeZone, zone)), a.start);
      if (a.series) checkCopy(w, m, a, rec, u, e);
    }
    if (a.series) {
      const want = [...a.series.exceptions].filter(([, x]) => x.cancelled || x.subject !== a.subject)
        .map(([k, x]) => `${k}|${x.cancelled}|${x.cancelled ? "" : x.subject}`).sort();
      const got = rec.series!.exceptions.map((x) => `${x.originalStart}|${x.cancelled}|${x.override.subject ?? ""}`)
        .sort();
      assert.deepEqual(got, want, `CRM exceptions of ${id}`);
    }
  }
}

/** A member's copy shows the model's occurrences: exceptions applied, minus the ones they left. */
function checkCopy(w: World, m: Model, a: ModelAppt, rec: Appointment, u: string, e: GraphEvent): void {
  void m;
  assert.ok(e.recurrence, "a series stays a series");
  const zone = rec.start.timeZone;
  const left = a.series!.left.get(u) ?? new Set();
  const want = occurrenceStarts(rec).flatMap((k) => {
    const x = a.series!.exceptions.get(k);
    if (x?.cancelled || left.has(k)) return [];
    return [`${k}|${x?.subject ?? a.subject}`];
  });
  const got = graphInstances(e, e as GraphEventWrite, w.occEdits.get(e.id) ?? [], WINDOW)
    .map((i) => `${graphTimeToLocal({ dateTime: i.originalStart!, timeZone: "UTC" }, zone)}|${i.subject}`).sort();
  assert.deepEqual(got, want.sort(), `${u}'s occurrences`);
}

/** The opt-in overrides of the header. */
function runParameters(): fc.Parameters<unknown> {
  const env = z.object({
    MODEL_RUNS: z.coerce.number().int().positive().default(300),
    MODEL_SEED: z.coerce.number().int().optional(),
    MODEL_PATH: z.string().regex(/^\d+(:\d+)*$/).optional(),
  }).parse(Deno.env.toObject());
  return {
    numRuns: env.MODEL_RUNS,
    ...(env.MODEL_SEED !== undefined ? { seed: env.MODEL_SEED } : {}),
    ...(env.MODEL_PATH ? { path: env.MODEL_PATH } : {}),
  };
}

Deno.test("planCalendar() model: random edits, cancels, deletes, creates, membership changes, failed writes and crashes after writes on both sides converge to the model", () => {
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 1, maxLength: 14 }),
      fc.array(fc.nat(9), { minLength: 1, maxLength: 30 }),
      (ops, failures) => {
        const w = new World([...USERS]);
        const m = new Model();
        w.groups.set("sales", []);
        let i = 0;
        for (const op of ops) {
          step(w, m, op);
          // A first round where about a third of the writes fail, then rounds until quiet.
          w.failWrite = () => (failures[i++ % failures.length]! < 3);
          w.crashAfter = () => (failures[i++ % failures.length]! === 9);
          for (const u of USERS) w.run(u);
          w.failWrite = () => false;
          w.crashAfter = () => false;
          assert.ok(w.settle(8) < 8, "converges");
          check(w, m);
          // The next plan of every member is empty.
          for (const u of USERS) assert.equal(w.run(u).pairs.flatMap((p) => p.actions).length, 0);
        }
      },
    ),
    runParameters(),
  );
});
