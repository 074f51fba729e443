import assert from "node:assert/strict";
import { EmulatorState } from "../state/state.ts";
import { type DeltaState, startRound } from "./delta.ts";
import { CalendarMailbox } from "./events.ts";

function setup() {
  const state = new EmulatorState();
  const tenant = state.addTenant({ domain: "contoso.test" });
  const user = state.addUser({ tenantId: tenant.id, userPrincipalName: "adele@contoso.test" });
  const cal = new CalendarMailbox(state, user, () => Date.now());
  const round = (previous?: DeltaState) =>
    startRound(cal.list(), cal.defaultCalendar().id, cal.mailbox.changes, window, previous);
  return { cal, round };
}

const window = {
  start: Temporal.Instant.from("2025-03-01T00:00:00Z"),
  end: Temporal.Instant.from("2025-04-01T00:00:00Z"),
};
const at = (day: string, hour = 9) => ({
  start: { dateTime: `${day}T${String(hour).padStart(2, "0")}:00:00`, timeZone: "UTC" },
  end: { dateTime: `${day}T${String(hour + 1).padStart(2, "0")}:00:00`, timeZone: "UTC" },
});

Deno.test("startRound() lists singles and occurrences in the window, never series masters", () => {
  const { cal, round } = setup();
  cal.create(undefined, { subject: "one", ...at("2025-03-05") });
  cal.create(undefined, { subject: "outside", ...at("2025-06-05") });
  cal.create(undefined, {
    subject: "series",
    ...at("2025-03-24"),
    recurrence: {
      pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
      range: { type: "noEnd", startDate: "2025-03-24" },
    },
  });
  const { entries } = round();
  assert.equal(entries.length, 3); // one single + occurrences on 24th and 31st
  assert.ok(entries.every((e) => e.kind === "item"));
});

Deno.test("startRound() reports changes, deletions and changes outside the window as removed", () => {
  const { cal, round } = setup();
  const a = cal.create(undefined, { subject: "a", ...at("2025-03-05") }).view.item;
  const b = cal.create(undefined, { subject: "b", ...at("2025-03-06") }).view.item;
  const c = cal.create(undefined, { subject: "c", ...at("2025-03-07") }).view.item;
  const first = round();
  cal.update(a.id, { subject: "a2" });
  cal.delete(b.id);
  cal.update(c.id, at("2025-05-07")); // moved out of the window
  cal.create(undefined, { subject: "far", ...at("2025-09-01") }); // created outside
  const second = round(first.end);
  const kinds = second.entries.map((e) => e.kind === "item" ? `item:${e.key}` : `removed:${e.immutableId}`);
  assert.equal(kinds.length, 4);
  assert.ok(kinds.includes(`item:${a.immutableId}`));
  assert.ok(kinds.includes(`removed:${b.immutableId}`));
  assert.ok(kinds.includes(`removed:${c.immutableId}`));
  assert.equal(kinds.filter((k) => k.startsWith("removed:")).length, 3);
  const third = round(second.end);
  assert.deepEqual(third.entries, []);
});
