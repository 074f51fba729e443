import assert from "node:assert/strict";
import { overlapsWindow, zonedToEpochMs } from "./time_window.ts";

const utc = (iso: string) => Date.parse(iso);

Deno.test("zonedToEpochMs() reads wall-clock time in its IANA zone, summer and winter", () => {
  assert.equal(zonedToEpochMs("2026-01-15T09:30", "Europe/Berlin"), utc("2026-01-15T08:30:00Z"));
  assert.equal(zonedToEpochMs("2026-07-15T09:30:00", "Europe/Rome"), utc("2026-07-15T07:30:00Z"));
  assert.equal(zonedToEpochMs("2026-07-15T09:30", "UTC"), utc("2026-07-15T09:30:00Z"));
});

Deno.test("zonedToEpochMs() moves a time skipped by DST forward and takes the first of an ambiguous one", () => {
  assert.equal(zonedToEpochMs("2026-03-29T02:30", "Europe/Berlin"), utc("2026-03-29T01:30:00Z"));
  assert.equal(zonedToEpochMs("2026-10-25T02:30", "Europe/Berlin"), utc("2026-10-25T00:30:00Z"));
});

const at = (dateTime: string) => ({ dateTime, timeZone: "Europe/Rome" });

Deno.test("overlapsWindow() keeps single appointments that overlap the window and drops the others", () => {
  const a = { start: at("2026-05-04T10:00"), end: at("2026-05-04T11:00"), series: null };
  assert.equal(overlapsWindow(a, { from: utc("2026-05-04T08:30:00Z"), to: utc("2026-05-04T09:00:00Z") }), true);
  assert.equal(overlapsWindow(a, { from: utc("2026-05-04T09:00:00Z") }), false);
  assert.equal(overlapsWindow(a, { to: utc("2026-05-04T08:00:00Z") }), false);
});

Deno.test("overlapsWindow() keeps a weekly series that started before the window and runs into it", () => {
  const series = {
    pattern: {
      type: "weekly" as const,
      interval: 1,
      daysOfWeek: ["monday" as const],
      index: "first" as const,
      firstDayOfWeek: "monday" as const,
    },
    range: { type: "numbered" as const, startDate: "2026-01-05", numberOfOccurrences: 30 },
    exceptions: [],
  };
  const a = { start: at("2026-01-05T09:00"), end: at("2026-01-05T09:30"), series };
  assert.equal(overlapsWindow(a, { from: utc("2026-05-01T00:00:00Z"), to: utc("2026-05-08T00:00:00Z") }), true);
  assert.equal(overlapsWindow(a, { from: utc("2027-06-01T00:00:00Z") }), false);
  const open = { ...a, series: { ...series, range: { type: "noEnd" as const, startDate: "2026-01-05" } } };
  assert.equal(overlapsWindow(open, { from: utc("2030-01-01T00:00:00Z") }), true);
});
