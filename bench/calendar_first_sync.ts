// Benchmark (not a test): first sync of 5,000 CRM appointments into one mailbox against the emulator
// enforcing a per-mailbox budget, time-scaled, with the engine's Graph window scaled alike. The
// budget is set to 2,000 requests per window (a mailbox whose budget others share) so that 5,000
// writes need several windows and the wall time can be compared with the minimum the budget allows.
// Reports Graph operations per written event and the cost of a run with nothing changed.
// Run: sh scripts/deno.sh task bench calendar
import { startCalendarWorld, TENANT } from "@app/calendar-sync/testing";

const N = Number(Deno.env.get("BENCH_APPOINTMENTS") ?? 5_000);
const TIME_SCALE = Number(Deno.env.get("BENCH_TIME_SCALE") ?? 0.05);
const LIMIT = Number(Deno.env.get("BENCH_WINDOW_REQUESTS") ?? 2_000);
const WINDOW_MS = 10 * 60_000 * TIME_SCALE;

await using w = await startCalendarWorld({
  emulator: {
    timeScale: TIME_SCALE,
    limits: { enabled: true, concurrency: 4, requestsPerWindow: LIMIT, windowMs: 600_000 },
  },
  env: { GRAPH_WINDOW_MS: String(WINDOW_MS), GRAPH_WINDOW_REQUESTS: String(LIMIT) },
});
// Seed with the user's calendar sync off: the CRM's events find nobody to run.
const ctx = w.contexts.get("anna")!;
ctx.settings.calendar.enabled = false;
for (let i = 0; i < N; i++) {
  const day = new Date(Date.now() + (1 + (i % 360)) * 86_400_000).toISOString().slice(0, 10);
  const hour = String(7 + (i % 12)).padStart(2, "0");
  await w.crmAdmin.createAppointment(TENANT, {
    subject: `Viewing ${i}`,
    location: `Street ${i % 500}, Berlin`,
    start: { dateTime: `${day}T${hour}:00:00`, timeZone: "Europe/Berlin" },
    end: { dateTime: `${day}T${hour}:45:00`, timeZone: "Europe/Berlin" },
    organizerId: "anna",
    participantIds: ["anna"],
    reminderMinutes: 15,
  });
}
await w.settle(600_000);
ctx.settings.calendar.enabled = true;
const mailbox = w.m365.users[0]!.id;
await w.m365.emu.admin.resetCounts();

const t0 = performance.now();
// Graph operations so far, sampled every 2.5 s: shows reading, writing and waiting on the budget.
const timeline: [number, number][] = [];
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    await new Promise((r) => setTimeout(r, 2_500));
    const ops = (await w.m365.emu.admin.counts())[mailbox]?.operations ?? 0;
    timeline.push([+((performance.now() - t0) / 1000).toFixed(1), ops]);
  }
})();
await w.syncNow("anna", 900_000);
const wallMs = performance.now() - t0;
sampling = false;
await sampler;
const counts = (await w.m365.emu.admin.counts())[mailbox]!;
const written = (await w.outlook("anna")).length;
const minimumMs = Math.floor((counts.operations - 1) / LIMIT) * WINDOW_MS;
/** A run as status lists it (the fields read here). */
interface ChunkRun {
  status: string;
  startedAt?: string;
  finishedAt?: string;
  graphRequests?: number;
  summary?: { done?: Record<string, number> };
}
// Where the time went: the first sync's run chunks as status lists them (newest first), relative to t0.
const epoch = Date.now() - (performance.now() - t0);
const chunks = ((await w.status("anna")).runs as ChunkRun[]).slice().reverse().filter((r) => r.status !== "blocked")
  .map((r) => ({
    status: r.status,
    startedS: r.startedAt ? +((Date.parse(r.startedAt) - epoch) / 1000).toFixed(2) : null,
    finishedS: r.finishedAt ? +((Date.parse(r.finishedAt) - epoch) / 1000).toFixed(2) : null,
    graphRequests: r.graphRequests,
    done: r.summary?.done,
  }));

await w.syncNow("anna"); // our own writes come back once through delta
await w.m365.emu.admin.resetCounts();
const t1 = performance.now();
const noop = await w.syncNow("anna");
const noopMs = performance.now() - t1;
const noopCounts = (await w.m365.emu.admin.counts())[mailbox];

// Baseline for the no-op: one bare calendarView delta request, measured in this run.
const start = new Date().toISOString(), end = new Date(Date.now() + 86_400_000).toISOString();
const t2 = performance.now();
await w.outlookClient("anna").api(
  `/me/calendars/${w.agent("anna").calendarId}/calendarView/delta?startDateTime=${start}&endDateTime=${end}`,
).get();
const oneRequestMs = performance.now() - t2;

console.log(JSON.stringify(
  {
    appointments: N,
    timeScale: TIME_SCALE,
    budget: `${LIMIT} requests per ${WINDOW_MS / 1000} s (10 min × ${TIME_SCALE})`,
    firstSync: {
      writtenEvents: written,
      wallSeconds: +(wallMs / 1000).toFixed(2),
      minimumSecondsTheBudgetAllows: +(minimumMs / 1000).toFixed(2),
      wallToMinimumRatio: minimumMs > 0 ? +(wallMs / minimumMs).toFixed(3) : null,
      graphHttpRequests: counts.requests,
      graphOperations: counts.operations,
      operationsPerWrittenEvent: written ? +(counts.operations / written).toFixed(4) : null,
      throttled: counts.throttled,
      chunks,
      operationsAtSeconds: timeline,
    },
    noopRun: {
      status: noop.status,
      graphRequests: noopCounts?.requests ?? 0,
      wallMs: +noopMs.toFixed(1),
      ratioToOneBareDeltaRequest: +(noopMs / oneRequestMs).toFixed(2),
      done: noop.summary?.done,
    },
  },
  null,
  2,
));
