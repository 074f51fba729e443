import assert from "node:assert/strict";
import fc from "fast-check";
import type { AppointmentFields, RecurrencePattern, RecurrenceRange, Series } from "@app/shared/contract";
import { canonicalToCrmFields, crmToCanonical, whenBounds } from "./crm_mapping.ts";
import { graphToCanonical } from "./graph_mapping.ts";
import { createActions } from "./graph_writes.ts";
import { DAYS, expandSeries, firstOccurrenceDate, patternStarts } from "./series.ts";
import { graphInstances, graphMaster, wall } from "./_test_series.ts";
import { addDays } from "./time_zone.ts";
import type { CanonicalAppointment } from "./types.ts";

const WINDOW = { start: "2026-05-01T00:00:00Z", end: "2027-09-01T00:00:00Z" };
const ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "America/Adak", "Australia/Lord_Howe", "UTC"];

function starts(
  pattern: Partial<RecurrencePattern> & Pick<RecurrencePattern, "type">,
  range: Partial<RecurrenceRange>,
) {
  const p = { interval: 1, daysOfWeek: [], index: "first", firstDayOfWeek: "sunday", ...pattern } as RecurrencePattern;
  const r = { type: "numbered", startDate: "2026-01-01", numberOfOccurrences: 4, ...range } as RecurrenceRange;
  return patternStarts({ pattern: p, range: r as never }, "09:00:00", "2026-01-01T00:00:00", "2028-01-01T00:00:00")
    .map((s) => s.slice(0, 10));
}

Deno.test("series expansion: second Wednesday, last Friday, last day of the month, yearly relative, interval > 1, firstDayOfWeek", () => {
  assert.deepEqual(starts({ type: "relativeMonthly", daysOfWeek: ["wednesday"], index: "second" }, {}), [
    "2026-01-14",
    "2026-02-11",
    "2026-03-11",
    "2026-04-08",
  ]);
  assert.deepEqual(starts({ type: "relativeMonthly", daysOfWeek: ["friday"], index: "last" }, {}), [
    "2026-01-30",
    "2026-02-27",
    "2026-03-27",
    "2026-04-24",
  ]);
  assert.deepEqual(starts({ type: "absoluteMonthly", dayOfMonth: 31 }, {}), [
    "2026-01-31",
    "2026-02-28",
    "2026-03-31",
    "2026-04-30",
  ]);
  assert.deepEqual(
    starts({ type: "relativeYearly", daysOfWeek: ["thursday"], index: "fourth", month: 11 }, {
      numberOfOccurrences: 2,
    }),
    [
      "2026-11-26",
      "2027-11-25",
    ],
  );
  assert.deepEqual(starts({ type: "daily", interval: 3 }, { numberOfOccurrences: 3 }), [
    "2026-01-01",
    "2026-01-04",
    "2026-01-07",
  ]);
  // Every 2nd week on Sunday and Monday: which Sunday belongs to "the week" depends on firstDayOfWeek.
  const sunday = starts({ type: "weekly", interval: 2, daysOfWeek: ["sunday", "monday"], firstDayOfWeek: "sunday" }, {
    startDate: "2026-01-05",
  });
  const monday = starts({ type: "weekly", interval: 2, daysOfWeek: ["sunday", "monday"], firstDayOfWeek: "monday" }, {
    startDate: "2026-01-05",
  });
  assert.deepEqual(sunday, ["2026-01-05", "2026-01-18", "2026-01-19", "2026-02-01"]);
  assert.deepEqual(monday, ["2026-01-05", "2026-01-11", "2026-01-19", "2026-01-25"]);
  assert.deepEqual(starts({ type: "weekly", daysOfWeek: ["monday"] }, { type: "endDate", endDate: "2026-01-31" }), [
    "2026-01-05",
    "2026-01-12",
    "2026-01-19",
    "2026-01-26",
  ]);
});

Deno.test("series occurrences keep their wall-clock time across DST in the series' zone", () => {
  const c = crmToCanonical(seriesFields("Europe/Berlin", false, "08:30:00", {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["friday"], index: "first", firstDayOfWeek: "sunday" },
    range: { type: "numbered", startDate: "2026-03-20", numberOfOccurrences: 3 },
    exceptions: [],
  }, "2026-03-20"));
  const occ = expandSeries(c.series!, whenBounds(c.when), "2026-01-01T00:00:00", "2027-01-01T00:00:00");
  assert.deepEqual(occ.map((o) => o.start), ["2026-03-20T08:30:00", "2026-03-27T08:30:00", "2026-04-03T08:30:00"]);
});

function seriesFields(
  zone: string,
  allDay: boolean,
  time: string,
  series: Series,
  date: string,
  minutes = 60,
): AppointmentFields {
  const start = allDay ? `${date}T00:00:00` : `${date}T${time}`;
  const end = allDay
    ? `${addDays(date, 1)}T00:00:00`
    : new Date(Date.parse(`${start}Z`) + minutes * 60_000).toISOString().slice(0, 19);
  return {
    subject: "Open house",
    location: "Via Roma 1",
    description: "",
    start: { dateTime: start, timeZone: zone },
    end: { dateTime: end, timeZone: zone },
    allDay,
    organizerId: "giulia",
    participantIds: ["giulia"],
    groupIds: [],
    contacts: [],
    resources: [],
    reminderMinutes: 15,
    private: false,
    cancelled: false,
    series,
  };
}

const dayArb = fc.constantFrom(...DAYS);
const patternArb: fc.Arbitrary<RecurrencePattern> = fc.oneof(
  fc.record({ type: fc.constant("daily" as const), interval: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    type: fc.constant("weekly" as const),
    interval: fc.integer({ min: 1, max: 3 }),
    daysOfWeek: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 3 }),
    firstDayOfWeek: dayArb,
  }),
  fc.record({
    type: fc.constant("absoluteMonthly" as const),
    interval: fc.integer({ min: 1, max: 3 }),
    dayOfMonth: fc.integer({ min: 1, max: 31 }),
  }),
  fc.record({
    type: fc.constant("relativeMonthly" as const),
    interval: fc.integer({ min: 1, max: 3 }),
    daysOfWeek: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 2 }),
    index: fc.constantFrom("first", "second", "third", "fourth", "last" as const),
  }),
  fc.record({
    type: fc.constant("absoluteYearly" as const),
    interval: fc.constant(1),
    dayOfMonth: fc.integer({ min: 1, max: 28 }),
    month: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    type: fc.constant("relativeYearly" as const),
    interval: fc.constant(1),
    daysOfWeek: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 1 }),
    month: fc.integer({ min: 1, max: 12 }),
    index: fc.constantFrom("first", "second", "third", "fourth", "last" as const),
  }),
).map((p) => ({ daysOfWeek: [], index: "first" as const, firstDayOfWeek: "sunday" as const, ...p }));

const rangeArb = fc.record({
  type: fc.constantFrom("endDate", "noEnd", "numbered" as const),
  startOffset: fc.integer({ min: 0, max: 60 }),
  length: fc.integer({ min: 20, max: 400 }),
  count: fc.integer({ min: 1, max: 12 }),
});

const exceptionArb = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom("cancel", "subject", "move", "location"),
  v: fc.integer({ min: -2, max: 2 }),
});

const seriesCase = fc.record({
  zone: fc.constantFrom(...ZONES),
  allDay: fc.boolean(),
  hour: fc.integer({ min: 4, max: 20 }),
  pattern: patternArb,
  range: rangeArb,
  exceptions: fc.array(exceptionArb, { maxLength: 4 }),
});

type SeriesCase = typeof seriesCase extends fc.Arbitrary<infer T> ? T : never;

function buildCase(c: SeriesCase): AppointmentFields | undefined {
  const startDate = addDays("2026-05-10", c.range.startOffset);
  const range: RecurrenceRange = c.range.type === "endDate"
    ? { type: "endDate", startDate, endDate: addDays(startDate, c.range.length) }
    : c.range.type === "numbered"
    ? { type: "numbered", startDate, numberOfOccurrences: c.range.count }
    : { type: "noEnd", startDate };
  const time = `${String(c.hour).padStart(2, "0")}:15:00`;
  const base = { pattern: c.pattern, range };
  const first = firstOccurrenceDate(base, c.allDay ? "00:00:00" : time);
  const slots = patternStarts(base, c.allDay ? "00:00:00" : time, `${first}T00:00:00`, "2027-04-30T00:00:00", 40);
  if (slots.length === 0 || slots[0]!.slice(0, 10) !== first) return undefined;
  const exceptions: Series["exceptions"] = [];
  const used = new Set<string>();
  for (const e of c.exceptions) {
    const k = slots[e.pick % slots.length]!;
    if (used.has(k)) continue;
    used.add(k);
    if (e.kind === "cancel") exceptions.push({ originalStart: k, cancelled: true, override: {} });
    if (e.kind === "subject") {
      exceptions.push({ originalStart: k, cancelled: false, override: { subject: `Special ${e.v}` } });
    }
    if (e.kind === "location") {
      exceptions.push({ originalStart: k, cancelled: false, override: { location: `Room ${e.v}` } });
    }
    if (e.kind === "move" && !c.allDay && e.v !== 0) {
      // Moved within its own day by whole quarter hours (never across its neighbours).
      const start = new Date(Date.parse(`${k}Z`) + e.v * 15 * 60_000).toISOString().slice(0, 19);
      const end = new Date(Date.parse(`${start}Z`) + 60 * 60_000).toISOString().slice(0, 19);
      exceptions.push({ originalStart: k, cancelled: false, override: { start, end } });
    }
  }
  return seriesFields(c.zone, c.allDay, time, { ...base, exceptions }, first);
}

function toGraphAndBack(
  f: AppointmentFields,
): { back: CanonicalAppointment; canon: CanonicalAppointment; instances: ReturnType<typeof graphInstances> } {
  const canon = crmToCanonical(f);
  const actions = createActions(canon, {
    crmId: "apt-1",
    transactionId: "tx",
    withAttendees: false,
    directory: new Map(),
  });
  const create = actions[0]!;
  if (create.kind !== "createInGraph") throw new Error("first action creates");
  const master = graphMaster(create.body);
  const instances = graphInstances(master, create.body, actions.slice(1), WINDOW);
  const back = graphToCanonical({ event: master, instances, stampedCrmId: "apt-1" }, {
    fallbackZone: "UTC",
    preferZone: f.start.timeZone,
    window: WINDOW,
    crm: { contacts: [], resources: [], organizerId: "giulia", participantIds: ["giulia"], groupIds: [] },
    baseSeries: null,
  });
  return { back, canon, instances };
}

Deno.test("series property: CRM → Graph → CRM is the identity, and Graph's occurrences equal the rrule expansion of the CRM series with its exceptions (E8)", () => {
  fc.assert(
    fc.property(seriesCase, (c) => {
      const f = buildCase(c);
      fc.pre(f !== undefined);
      const { back, canon, instances } = toGraphAndBack(f!);
      assert.deepEqual(back, canon);
      assert.deepEqual(canonicalToCrmFields(back, "giulia"), canonicalToCrmFields(canon, "giulia"));
      const zone = canon.when.timeZone;
      const from = "2026-05-01T00:00:00";
      const to = "2027-04-30T00:00:00";
      const want = expandSeries(canon.series!, whenBounds(canon.when), from, to).map((o) =>
        `${o.start}|${o.end}|${o.subject ?? canon.subject}|${o.location ?? canon.location}`
      );
      const got = instances
        .map((i) => {
          const s = canon.when.allDay ? i.start.dateTime.slice(0, 19) : wall(i.start, zone);
          const e = canon.when.allDay ? i.end.dateTime.slice(0, 19) : wall(i.end, zone);
          return `${s}|${e}|${i.subject ?? ""}|${i.location?.displayName ?? ""}`;
        })
        .filter((x) => x.slice(0, 19) >= from && x.slice(0, 19) <= to)
        .sort();
      assert.deepEqual(got, [...want].sort());
    }),
    { numRuns: 300 },
  );
});
