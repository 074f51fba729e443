// `deno bench -A services/calendar-sync/sync/plan_bench.ts`: planning a member's calendar must never
// be the bottleneck of a first sync (5,000 appointments, a tenth of them series). Baseline: the bare
// canonicalisation of the same appointments, measured in the same run.
import { apptFields, World } from "./_test_world.ts";
import { crmToCanonical } from "./crm_mapping.ts";
import { planCalendar } from "./plan.ts";

const N = 5_000;
const world = new World(["giulia"]);
for (let i = 0; i < N; i++) {
  const day = 2 + (i % 300);
  const date = new Date(Date.UTC(2026, 5, 1 + day)).toISOString().slice(0, 10);
  const weekday = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][
    new Date(`${date}T00:00:00Z`).getUTCDay()
  ] as "monday";
  world.crmCreate(apptFields({
    subject: `Viewing ${i}`,
    start: { dateTime: `${date}T${String(8 + (i % 10)).padStart(2, "0")}:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${date}T${String(9 + (i % 10)).padStart(2, "0")}:00:00`, timeZone: "Europe/Berlin" },
    series: i % 10 === 0
      ? {
        pattern: { type: "weekly", interval: 1, daysOfWeek: [weekday], index: "first", firstDayOfWeek: "sunday" },
        range: { type: "numbered", startDate: date, numberOfOccurrences: 10 },
        exceptions: [],
      }
      : null,
  }));
}
const firstSync = world.input("giulia");
world.run("giulia");
const linked = world.input("giulia");
const appointments = [...world.crm.values()];

Deno.bench({ name: "baseline: canonicalise 5,000 CRM appointments", group: "calendar plan", baseline: true }, () => {
  for (const a of appointments) crmToCanonical(a);
});
Deno.bench({ name: "planCalendar() first sync of 5,000 appointments", group: "calendar plan" }, () => {
  planCalendar(firstSync);
});
Deno.bench({ name: "planCalendar() no-op run over 5,000 linked appointments", group: "calendar plan" }, () => {
  const plan = planCalendar(linked);
  if (plan.pairs.some((p) => p.actions.length)) throw new Error("a no-op run planned writes");
});
