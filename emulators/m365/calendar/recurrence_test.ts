import assert from "node:assert/strict";
import fc from "fast-check";
import {
  DAYS_OF_WEEK,
  expandOccurrences,
  findOccurrence,
  neighbours,
  normalizeRecurrence,
  type PatternedRecurrence,
  type Series,
  seriesBounds,
  WEEK_INDEXES,
} from "./recurrence.ts";
import { CalendarError } from "./errors.ts";
import { requireZone, wallToInstant } from "./time.ts";
import { oracleDates } from "./testdata/recurrence_oracle.ts";

/** A series starting at `start` (wall clock in `zone`) lasting `minutes`, with a raw recurrence. */
function series(start: string, zone: string, minutes: number, recurrence: unknown): Series {
  const z = requireZone(zone);
  const s = wallToInstant(Temporal.PlainDateTime.from(start), z.iana);
  return {
    recurrence: normalizeRecurrence(recurrence, { instant: s, zone: z }),
    start: s,
    end: s.add({ minutes }),
    startZone: z,
  };
}

const window = (from: string, to: string) => ({ start: Temporal.Instant.from(from), end: Temporal.Instant.from(to) });
const dates = (s: Series, from = "1990-01-01T00:00:00Z", to = "2100-01-01T00:00:00Z") =>
  expandOccurrences(s, window(from, to)).map((o) => o.wallStart.toPlainDate().toString());

Deno.test("a weekly 09:00 Europe/Berlin meeting stays at 09:00 local across the DST change", () => {
  const s = series("2025-03-17T09:00", "W. Europe Standard Time", 60, {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
    range: { type: "numbered", startDate: "2025-03-17", numberOfOccurrences: 3 },
  });
  const occ = expandOccurrences(s, window("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
  assert.deepEqual(occ.map((o) => o.wallStart.toString()), [
    "2025-03-17T09:00:00",
    "2025-03-24T09:00:00",
    "2025-03-31T09:00:00",
  ]);
  assert.deepEqual(occ.map((o) => o.start.toString()), [
    "2025-03-17T08:00:00Z",
    "2025-03-24T08:00:00Z",
    "2025-03-31T07:00:00Z",
  ]);
  assert.equal(occ[2]!.end.toString(), "2025-03-31T08:00:00Z");
});

Deno.test("daily with interval and a numbered range yields exactly that many occurrences", () => {
  const s = series("2025-01-01T10:00", "UTC", 30, {
    pattern: { type: "daily", interval: 3 },
    range: { type: "numbered", startDate: "2025-01-01", numberOfOccurrences: 4 },
  });
  assert.deepEqual(dates(s), ["2025-01-01", "2025-01-04", "2025-01-07", "2025-01-10"]);
});

Deno.test("weekly with interval 2 counts weeks from firstDayOfWeek", () => {
  const s = series("2025-01-01T10:00", "UTC", 30, {
    pattern: { type: "weekly", interval: 2, daysOfWeek: ["sunday", "monday"], firstDayOfWeek: "monday" },
    range: { type: "numbered", startDate: "2025-01-01", numberOfOccurrences: 4 },
  });
  // Week of Mon 2024-12-30 holds Sun 2025-01-05; the next counted week starts Mon 2025-01-13.
  assert.deepEqual(dates(s), ["2025-01-05", "2025-01-13", "2025-01-19", "2025-01-27"]);
});

Deno.test("an endDate range includes the end date and may end before it (docs: last Monday 2017-12-25)", () => {
  const s = series("2017-09-04T12:00", "Pacific Standard Time", 120, {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["Monday"] },
    range: { type: "endDate", startDate: "2017-09-04", endDate: "2017-12-31" },
  });
  const all = dates(s);
  assert.equal(all[0], "2017-09-04");
  assert.equal(all.at(-1), "2017-12-25");
  assert.equal(all.length, 17);
});

Deno.test("absoluteMonthly on day 31 falls on the last day of shorter months", () => {
  const s = series("2025-01-31T08:00", "UTC", 60, {
    pattern: { type: "absoluteMonthly", interval: 1, dayOfMonth: 31 },
    range: { type: "numbered", startDate: "2025-01-31", numberOfOccurrences: 4 },
  });
  assert.deepEqual(dates(s), ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]);
});

Deno.test("relativeMonthly with index last picks the month's last matching weekday", () => {
  const s = series("2025-01-31T08:00", "UTC", 60, {
    pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["friday"], index: "last" },
    range: { type: "numbered", startDate: "2025-01-31", numberOfOccurrences: 3 },
  });
  assert.deepEqual(dates(s), ["2025-01-31", "2025-02-28", "2025-03-28"]);
});

Deno.test("relativeMonthly with several days falls on the first day that satisfies the pattern", () => {
  const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];
  const first = series("2025-02-03T08:00", "UTC", 60, {
    pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: weekdays, index: "first" },
    range: { type: "numbered", startDate: "2025-02-03", numberOfOccurrences: 3 },
  });
  // First weekday of Feb (Mon 3rd), Mar (Mon 3rd), Apr (Tue 1st).
  assert.deepEqual(dates(first), ["2025-02-03", "2025-03-03", "2025-04-01"]);
  const last = series("2025-02-28T08:00", "UTC", 60, {
    pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: weekdays, index: "last" },
    range: { type: "numbered", startDate: "2025-02-28", numberOfOccurrences: 3 },
  });
  // Last weekday of Feb (Fri 28th), Mar (Mon 31st), May? no: Apr (Wed 30th).
  assert.deepEqual(dates(last), ["2025-02-28", "2025-03-31", "2025-04-30"]);
});

Deno.test("the first occurrence may be later than startDate when the start day does not fit", () => {
  const s = series("2025-01-01T08:00", "UTC", 60, {
    pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["tuesday"], index: "second" },
    range: { type: "numbered", startDate: "2025-01-01", numberOfOccurrences: 2 },
  });
  assert.deepEqual(dates(s), ["2025-01-14", "2025-02-11"]);
  assert.equal(seriesBounds(s).first?.wallStart.toString(), "2025-01-14T08:00:00");
  assert.equal(seriesBounds(s).last?.wallStart.toString(), "2025-02-11T08:00:00");
});

Deno.test("absoluteYearly on Feb 29 falls on Feb 28 in common years", () => {
  const s = series("2024-02-29T08:00", "UTC", 60, {
    pattern: { type: "absoluteYearly", interval: 1, dayOfMonth: 29, month: 2 },
    range: { type: "numbered", startDate: "2024-02-29", numberOfOccurrences: 3 },
  });
  assert.deepEqual(dates(s), ["2024-02-29", "2025-02-28", "2026-02-28"]);
});

Deno.test("relativeYearly expresses the fourth Thursday of November", () => {
  const s = series("2025-11-27T12:00", "Eastern Standard Time", 180, {
    pattern: { type: "relativeYearly", interval: 1, daysOfWeek: ["thursday"], index: "fourth", month: 11 },
    range: { type: "noEnd", startDate: "2025-11-27" },
  });
  assert.deepEqual(dates(s, "2025-01-01T00:00:00Z", "2028-01-01T00:00:00Z"), [
    "2025-11-27",
    "2026-11-26",
    "2027-11-25",
  ]);
});

Deno.test("a noEnd series expands only the asked window, even decades ahead", () => {
  const s = series("2025-01-06T09:00", "UTC", 60, {
    pattern: { type: "daily", interval: 1 },
    range: { type: "noEnd", startDate: "2025-01-06" },
  });
  const occ = expandOccurrences(s, window("2060-05-01T00:00:00Z", "2060-05-03T00:00:00Z"));
  assert.deepEqual(occ.map((o) => o.start.toString()), ["2060-05-01T09:00:00Z", "2060-05-02T09:00:00Z"]);
  assert.equal(seriesBounds(s).last, undefined);
});

Deno.test("the window selects occurrences that overlap it, not only those starting in it", () => {
  const s = series("2025-01-06T23:00", "UTC", 120, {
    pattern: { type: "daily", interval: 1 },
    range: { type: "numbered", startDate: "2025-01-06", numberOfOccurrences: 3 },
  });
  const occ = expandOccurrences(s, window("2025-01-07T00:30:00Z", "2025-01-07T01:00:00Z"));
  assert.deepEqual(occ.map((o) => o.start.toString()), ["2025-01-06T23:00:00Z"]);
});

Deno.test("recurrenceTimeZone decides the wall clock the pattern repeats in", () => {
  // Start given in UTC, series kept in Berlin: 08:00Z in winter is 09:00 Berlin, so summer is 07:00Z.
  const s = series("2025-03-24T08:00", "UTC", 60, {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
    range: {
      type: "numbered",
      startDate: "2025-03-24",
      numberOfOccurrences: 2,
      recurrenceTimeZone: "W. Europe Standard Time",
    },
  });
  const occ = expandOccurrences(s, window("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
  assert.deepEqual(occ.map((o) => o.start.toString()), ["2025-03-24T08:00:00Z", "2025-03-31T07:00:00Z"]);
});

Deno.test("findOccurrence() and neighbours() locate an occurrence and those beside it", () => {
  const s = series("2025-01-06T09:00", "UTC", 60, {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday", "thursday"] },
    range: { type: "noEnd", startDate: "2025-01-06" },
  });
  const thu = Temporal.Instant.from("2025-01-09T09:00:00Z");
  assert.ok(findOccurrence(s, thu));
  assert.equal(findOccurrence(s, Temporal.Instant.from("2025-01-08T09:00:00Z")), undefined);
  const n = neighbours(s, thu);
  assert.equal(n.previous?.start.toString(), "2025-01-06T09:00:00Z");
  assert.equal(n.next?.start.toString(), "2025-01-13T09:00:00Z");
  assert.equal(neighbours(s, Temporal.Instant.from("2025-01-06T09:00:00Z")).previous, undefined);
});

Deno.test("normalizeRecurrence() returns Graph's full shape with unused fields zeroed", () => {
  const s = series("2017-09-04T12:00", "Pacific Standard Time", 60, {
    pattern: { type: "Weekly", interval: 1, daysOfWeek: ["Monday"], dayOfMonth: 5 },
    range: { type: "EndDate", startDate: "2017-09-04", endDate: "2017-12-31" },
  });
  assert.deepEqual(s.recurrence, {
    pattern: {
      type: "weekly",
      interval: 1,
      month: 0,
      dayOfMonth: 0,
      daysOfWeek: ["monday"],
      firstDayOfWeek: "sunday",
      index: "first",
    },
    range: {
      type: "endDate",
      startDate: "2017-09-04",
      endDate: "2017-12-31",
      recurrenceTimeZone: "Pacific Standard Time",
      numberOfOccurrences: 0,
    },
  });
});

function refusal(recurrence: unknown, code: string, start = "2025-01-06T09:00") {
  assert.throws(
    () => series(start, "UTC", 60, recurrence),
    (e) => e instanceof CalendarError && e.status === 400 && e.code === code,
    JSON.stringify(recurrence),
  );
}

Deno.test("normalizeRecurrence() refuses missing required fields per pattern type", () => {
  const range = { type: "noEnd", startDate: "2025-01-06" };
  refusal({ pattern: { type: "weekly", interval: 1 }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "daily" }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "absoluteMonthly", interval: 1 }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "relativeMonthly", interval: 1 }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "absoluteYearly", interval: 1, dayOfMonth: 6 }, range }, "ErrorInvalidRecurrencePattern");
  refusal(
    { pattern: { type: "relativeYearly", interval: 1, daysOfWeek: ["monday"] }, range },
    "ErrorInvalidRecurrencePattern",
  );
  refusal({ pattern: { type: "hourly", interval: 1 }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "daily", interval: 0 }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "daily", interval: 1 } }, "ErrorInvalidRecurrencePattern");
});

Deno.test("normalizeRecurrence() validates fields the pattern type ignores", () => {
  const range = { type: "noEnd", startDate: "2025-01-06" };
  refusal({ pattern: { type: "daily", interval: 1, index: "fifth" }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "daily", interval: 1, daysOfWeek: ["funday"] }, range }, "ErrorInvalidRecurrencePattern");
  refusal({ pattern: { type: "daily", interval: 1, month: 13 }, range }, "ErrorInvalidRecurrencePattern");
  refusal(
    { pattern: { type: "daily", interval: 1 }, range: { ...range, endDate: "2025-02-30" } },
    "ErrorInvalidRecurrenceRange",
  );
});

Deno.test("normalizeRecurrence() refuses ranges that disagree with the series start or are empty", () => {
  const pattern = { type: "daily", interval: 1 };
  refusal({ pattern, range: { type: "noEnd", startDate: "2025-01-07" } }, "ErrorInvalidRecurrenceRange");
  refusal({ pattern, range: { type: "noEnd" } }, "ErrorInvalidRecurrenceRange");
  refusal({ pattern, range: { type: "endDate", startDate: "2025-01-06" } }, "ErrorInvalidRecurrenceRange");
  refusal(
    { pattern, range: { type: "endDate", startDate: "2025-01-06", endDate: "2025-01-05" } },
    "ErrorInvalidRecurrenceRange",
  );
  refusal(
    { pattern, range: { type: "numbered", startDate: "2025-01-06", numberOfOccurrences: 0 } },
    "ErrorInvalidRecurrenceRange",
  );
  refusal(
    { pattern, range: { type: "noEnd", startDate: "2025-01-06", recurrenceTimeZone: "Atlantis" } },
    "ErrorInvalidRecurrenceRange",
  );
});

Deno.test("expansion agrees with a day-by-day model of every pattern and range type (property)", () => {
  const day = fc.constantFrom(...DAYS_OF_WEEK);
  const arbitrary = fc.record({
    startDate: fc.date({ min: new Date("2020-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }),
    type: fc.constantFrom("daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"),
    interval: fc.integer({ min: 1, max: 4 }),
    daysOfWeek: fc.uniqueArray(day, { minLength: 1, maxLength: 7 }),
    firstDayOfWeek: day,
    index: fc.constantFrom(...WEEK_INDEXES),
    dayOfMonth: fc.integer({ min: 1, max: 31 }),
    month: fc.integer({ min: 1, max: 12 }),
    range: fc.constantFrom("endDate", "noEnd", "numbered"),
    count: fc.integer({ min: 1, max: 12 }),
    spanDays: fc.integer({ min: 0, max: 1500 }),
    zone: fc.constantFrom("UTC", "W. Europe Standard Time", "Pacific Standard Time", "AUS Eastern Standard Time"),
  });
  fc.assert(
    fc.property(arbitrary, (a) => {
      const start = Temporal.Instant.fromEpochMilliseconds(a.startDate.getTime()).toZonedDateTimeISO("UTC")
        .toPlainDate();
      const dayOfMonth = a.type === "absoluteYearly" ? Math.min(a.dayOfMonth, a.month === 2 ? 29 : 30) : a.dayOfMonth;
      const raw = {
        pattern: {
          type: a.type,
          interval: a.interval,
          daysOfWeek: a.daysOfWeek,
          firstDayOfWeek: a.firstDayOfWeek,
          index: a.index,
          dayOfMonth,
          month: a.month,
        },
        range: {
          type: a.range,
          startDate: start.toString(),
          endDate: start.add({ days: a.spanDays }).toString(),
          numberOfOccurrences: a.count,
        },
      };
      const s = series(`${start}T09:30`, a.zone, 45, raw);
      const horizon = start.add({ years: 6 });
      const expected = oracleDates(s.recurrence as PatternedRecurrence, horizon).map(String);
      const until = horizon.add({ days: 1 }).toPlainDateTime();
      const actual = expandOccurrences(s, {
        start: s.start.subtract({ hours: 24 }),
        end: until.toZonedDateTime("UTC").toInstant(),
      }).map((o) => o.wallStart.toPlainDate().toString());
      assert.deepEqual(actual.filter((d) => d <= horizon.toString()), expected);
    }),
    { numRuns: 500 },
  );
});
