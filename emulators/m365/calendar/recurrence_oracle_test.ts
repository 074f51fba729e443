// Issue 10: the emulator's own expansion — a series created from a Graph body, its `instances`
// rendered in the series' zone — equals the `rrule` oracle (testdata/rrule_oracle.ts) for every
// pattern type, range type, index `last`, interval > 1, firstDayOfWeek and relative yearly (E8).
import assert from "node:assert/strict";
import fc from "fast-check";
import { EmulatorState } from "../state/state.ts";
import { CalendarMailbox } from "./events.ts";
import { instancesIn } from "./instances.ts";
import { DAYS_OF_WEEK, PATTERN_TYPES, RANGE_TYPES, WEEK_INDEXES } from "./recurrence.ts";
import { renderEvent } from "./render.ts";
import { requireZone, wallToInstant } from "./time.ts";
import { graphToRRule, rruleStarts } from "./testdata/rrule_oracle.ts";

const ZONES = [
  "UTC",
  "W. Europe Standard Time",
  "Pacific Standard Time",
  "AUS Eastern Standard Time",
  "Tokyo Standard Time",
];
// Times outside every zone's DST transition hour, so each wall-clock time exists on every date.
const TIMES = ["00:00:00", "07:45:00", "09:30:00", "13:15:00", "23:30:00"];

const day = fc.constantFrom(...DAYS_OF_WEEK);
const arbitrarySeries = fc.record({
  start: fc.date({ min: new Date("2020-01-01"), max: new Date("2032-12-31"), noInvalidDate: true }),
  type: fc.constantFrom(...PATTERN_TYPES),
  interval: fc.integer({ min: 1, max: 4 }),
  daysOfWeek: fc.uniqueArray(day, { minLength: 1, maxLength: 7 }),
  firstDayOfWeek: day,
  index: fc.constantFrom(...WEEK_INDEXES),
  dayOfMonth: fc.integer({ min: 1, max: 31 }),
  month: fc.integer({ min: 1, max: 12 }),
  range: fc.constantFrom(...RANGE_TYPES),
  count: fc.integer({ min: 1, max: 15 }),
  spanDays: fc.integer({ min: 0, max: 1600 }),
  zone: fc.constantFrom(...ZONES),
  time: fc.constantFrom(...TIMES),
  allDay: fc.boolean(),
  asStrings: fc.boolean(),
});

Deno.test("the emulator's instances equal the rrule oracle for every pattern and range type (E8, property)", () => {
  fc.assert(
    fc.property(arbitrarySeries, (a) => {
      const state = new EmulatorState();
      const tenant = state.addTenant({ domain: "contoso.test" });
      const cal = new CalendarMailbox(
        state,
        state.addUser({ tenantId: tenant.id, userPrincipalName: "a@contoso.test" }),
      );
      const startDate = Temporal.Instant.fromEpochMilliseconds(a.start.getTime()).toZonedDateTimeISO("UTC")
        .toPlainDate();
      const time = a.allDay ? "00:00:00" : a.time;
      const start = startDate.toPlainDateTime(Temporal.PlainTime.from(time));
      const end = a.allDay ? start.add({ days: 1 }) : start.add({ minutes: 45 });
      // Feb 30/31 would be refused (as Graph does): a yearly day-of-month must exist in its month.
      const dayOfMonth = a.type === "absoluteYearly"
        ? Math.min(a.dayOfMonth, Temporal.PlainYearMonth.from({ year: 2000, month: a.month }).daysInMonth)
        : a.dayOfMonth;
      const n = (v: number) => (a.asStrings ? String(v) : v); // Int32 also as strings, as Graph reads them
      const body = {
        subject: "series",
        isAllDay: a.allDay,
        start: { dateTime: start.toString(), timeZone: a.zone },
        end: { dateTime: end.toString(), timeZone: a.zone },
        recurrence: {
          pattern: {
            type: a.type,
            interval: n(a.interval),
            daysOfWeek: a.daysOfWeek,
            firstDayOfWeek: a.firstDayOfWeek,
            index: a.index,
            dayOfMonth: n(dayOfMonth),
            month: n(a.month),
          },
          range: {
            type: a.range,
            startDate: startDate.toString(),
            endDate: startDate.add({ days: a.spanDays }).toString(),
            numberOfOccurrences: n(a.count),
          },
        },
      };
      const { view } = cal.create(undefined, body);
      const horizon = startDate.add({ years: 5 });
      const zone = requireZone(a.zone);
      const window = {
        start: start.toZonedDateTime(zone.iana).toInstant().subtract({ hours: 48 }),
        end: horizon.add({ days: 2 }).toZonedDateTime(zone.iana).toInstant(),
      };
      const shown = instancesIn(view.item, window)
        .map((v) => (renderEvent(v, { zone }).start as { dateTime: string }).dateTime.slice(0, 19))
        .filter((s) => s.slice(0, 10) <= horizon.toString());
      const rec = view.item.props.recurrence!;
      const expected = rruleStarts(rec, time, horizon.toString());
      assert.deepEqual(shown, expected, graphToRRule(rec, time));
    }),
    { numRuns: 250 },
  );
});

Deno.test("a window that starts inside the series shows exactly the oracle's occurrences that overlap it (property)", () => {
  const windowed = fc.record({
    series: arbitrarySeries,
    offsetDays: fc.integer({ min: 0, max: 900 }),
    lengthDays: fc.integer({ min: 1, max: 120 }),
    hour: fc.integer({ min: 0, max: 23 }),
  });
  fc.assert(
    fc.property(windowed, ({ series: a, offsetDays, lengthDays, hour }) => {
      const state = new EmulatorState();
      const tenant = state.addTenant({ domain: "contoso.test" });
      const cal = new CalendarMailbox(
        state,
        state.addUser({ tenantId: tenant.id, userPrincipalName: "a@contoso.test" }),
      );
      const startDate = Temporal.Instant.fromEpochMilliseconds(a.start.getTime()).toZonedDateTimeISO("UTC")
        .toPlainDate();
      const start = startDate.toPlainDateTime(Temporal.PlainTime.from(a.time));
      const minutes = 45 + a.interval * 300; // up to a day: occurrences may straddle the window's edges
      const { view } = cal.create(undefined, {
        subject: "series",
        start: { dateTime: start.toString(), timeZone: a.zone },
        end: { dateTime: start.add({ minutes }).toString(), timeZone: a.zone },
        recurrence: {
          pattern: {
            type: a.type,
            interval: a.interval,
            daysOfWeek: a.daysOfWeek,
            firstDayOfWeek: a.firstDayOfWeek,
            index: a.index,
            dayOfMonth: a.type === "absoluteYearly"
              ? Math.min(a.dayOfMonth, Temporal.PlainYearMonth.from({ year: 2000, month: a.month }).daysInMonth)
              : a.dayOfMonth,
            month: a.month,
          },
          range: {
            type: a.range,
            startDate: startDate.toString(),
            endDate: startDate.add({ days: a.spanDays }).toString(),
            numberOfOccurrences: a.count,
          },
        },
      });
      const zone = requireZone(a.zone);
      const from = startDate.add({ days: offsetDays }).toPlainDateTime({ hour }).toZonedDateTime(zone.iana).toInstant();
      const window = { start: from, end: from.add({ hours: 24 * lengthDays }) };
      const shown = instancesIn(view.item, window).map((v) =>
        Temporal.Instant.fromEpochMilliseconds(v.core.startMs).toString()
      );
      const until = window.end.toZonedDateTimeISO(zone.iana).toPlainDate().add({ days: 1 }).toString();
      const expected = rruleStarts(view.item.props.recurrence!, a.time, until)
        .map((wall) => wallToInstant(Temporal.PlainDateTime.from(wall), zone.iana))
        .filter((s) =>
          Temporal.Instant.compare(s, window.end) < 0 &&
          Temporal.Instant.compare(s.add({ minutes }), window.start) > 0
        )
        .map(String);
      assert.deepEqual(shown, expected);
    }),
    { numRuns: 200 },
  );
});

Deno.test("the oracle writes nth-weekday, last-day and BYSETPOS rules as a client would", () => {
  const rec = (pattern: Record<string, unknown>, range: Record<string, unknown> = {}) =>
    ({
      pattern: {
        interval: 1,
        month: 0,
        dayOfMonth: 0,
        daysOfWeek: [],
        firstDayOfWeek: "sunday",
        index: "first",
        ...pattern,
      },
      range: {
        type: "noEnd",
        startDate: "2025-01-01",
        endDate: "0001-01-01",
        recurrenceTimeZone: "UTC",
        numberOfOccurrences: 0,
        ...range,
      },
    }) as unknown as Parameters<typeof graphToRRule>[0];
  assert.equal(
    graphToRRule(rec({ type: "relativeMonthly", daysOfWeek: ["wednesday"], index: "second" }), "09:00:00"),
    "DTSTART:20250101T090000Z\nRRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=2WE",
  );
  assert.equal(
    graphToRRule(
      rec({ type: "absoluteMonthly", dayOfMonth: 31 }, { type: "numbered", numberOfOccurrences: 3 }),
      "09:00:00",
    ),
    "DTSTART:20250101T090000Z\nRRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1;COUNT=3",
  );
  assert.deepEqual(
    rruleStarts(
      rec({ type: "relativeMonthly", daysOfWeek: ["friday"], index: "last" }, {
        type: "numbered",
        numberOfOccurrences: 3,
      }),
      "08:00:00",
      "2026-01-01",
    ),
    ["2025-01-31T08:00:00", "2025-02-28T08:00:00", "2025-03-28T08:00:00"],
  );
});
