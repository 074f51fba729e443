// Benchmark (not a test) of calendar-sync (P8): how long an appointment change takes to reach the
// other side at a sustained rate over many linked users, both ways, beside baselines measured in the
// same run (a bare NATS request/reply and a bare Graph request).
//
// Every user has a few appointments, synced before measuring; Graph change notifications reach the
// service as in production (PUBLIC_URL). Each cell sustains a rate of changes, alternating: a CRM
// edit of an appointment's subject and location through the CRM simulator (which emits the CRM
// event as the real CRM does), and an Outlook edit of the same fields (as the user in Outlook: the
// emulator's edit, not through the sync app's Graph client, whose per-mailbox limits it would share). Latency
// runs from the moment the bench wrote a change to the moment the other side stored it (the
// emulator's lastModifiedDateTime, the CRM's updatedAt; both real-time clocks of this machine), so
// polling by the bench adds nothing to the figures. No appointment changes twice in a cell, so every
// arrival is unambiguous.
//
// Run: deno task bench calendar-latency. BENCH_SECONDS (default 60) is each cell's duration;
// BENCH_QUICK=1 makes it 10 s. BENCH_USERS (default 50) linked users, BENCH_RATES (default 10,25)
// changes per second, BENCH_TIME_SCALE (default 1: Graph's own budget windows) the emulator's time
// scale, BENCH_TIMEOUT_S (default 120) how long a change may take before it counts as not arrived,
// BENCH_RUN_COALESCE_MS the engine's RUN_COALESCE_MS (its default when unset), BENCH_SPAWN=1 runs
// calendar-sync as a process of its own instead of in the bench's process, BENCH_OUTLOOK_WRITES
// (outlook or app) how the bench edits in Outlook (see below).
import { waitFor } from "@app/shared/testing";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { startCalendarWorld, TENANT } from "@app/calendar-sync/testing";
import { machineLoad, measureBaselines, percentiles } from "./_latency_kit.ts";

const Env = z.object({
  BENCH_QUICK: z.enum(["0", "1"]).default("0"),
  BENCH_SECONDS: z.coerce.number().positive().optional(),
  BENCH_USERS: z.coerce.number().int().min(1).default(50),
  BENCH_RATES: z.string().default("10,25").transform((s) => s.split(",").map(Number))
    .pipe(z.array(z.number().positive()).min(1)),
  BENCH_TIME_SCALE: z.coerce.number().positive().default(1),
  BENCH_TIMEOUT_S: z.coerce.number().positive().default(120),
  // The engine's wait before a trigger's run may start (default 100 ms), e.g. 0 to see its share.
  BENCH_RUN_COALESCE_MS: z.coerce.number().int().min(0).optional(),
  // 1: calendar-sync runs as its own process (as deployed), not in the bench's process beside the
  // emulator and the CRM simulator, whose work then no longer shares its event loop.
  BENCH_SPAWN: z.enum(["0", "1"]).default("0"),
  // How the bench edits in Outlook: "outlook" as the user in Outlook (the emulator's own client,
  // which like the real Outlook does not share the sync app's per-mailbox limits), "app" a Graph
  // PATCH with the sync app's token (its 4 concurrent requests per mailbox then shared with the bench).
  BENCH_OUTLOOK_WRITES: z.enum(["outlook", "app"]).default("outlook"),
});
const env = Env.parse(Deno.env.toObject());
const SECONDS = env.BENCH_SECONDS ?? (env.BENCH_QUICK === "1" ? 10 : 60);
const USERS = env.BENCH_USERS;
const RATES = env.BENCH_RATES;
const TIME_SCALE = env.BENCH_TIME_SCALE;
const TIMEOUT_MS = env.BENCH_TIMEOUT_S * 1000;
// Each change takes its user's next appointment, so none changes twice in a cell (sized for the fastest).
const PER_USER = Math.max(4, Math.ceil((Math.max(...RATES) * SECONDS) / USERS) + 2);

/** The fields of a stored Outlook event the bench reads. */
const StoredEvent = z.object({
  id: z.string(),
  subject: z.string().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  lastModifiedDateTime: z.string(),
});
type StoredEvent = z.infer<typeof StoredEvent>;

const log = (m: string) => console.error(`[calendar-latency] ${m}`);
const names = Array.from({ length: USERS }, (_, i) => `u${i}`);
await using w = await startCalendarWorld({
  users: names,
  notifications: true,
  emulator: { timeScale: TIME_SCALE },
  // The engine's Graph window follows the emulator's time scale (10 minutes × scale).
  env: {
    GRAPH_WINDOW_MS: String(Math.max(1_000, 600_000 * TIME_SCALE)),
    ...(env.BENCH_RUN_COALESCE_MS !== undefined ? { RUN_COALESCE_MS: String(env.BENCH_RUN_COALESCE_MS) } : {}),
  },
});
// Disposed before the world (declared after it): the spawned service stops first.
await using _spawned = env.BENCH_SPAWN === "1" ? await spawnOwnProcess() : undefined;
const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
const outlook = new Map<string, Client>(names.map((n) => [n, w.outlookClient(n)]));
const eventsOf = async (name: string): Promise<StoredEvent[]> => z.array(StoredEvent).parse(await w.outlook(name));

// Seed with every user's calendar sync off (the CRM's events find nobody to run), then one first
// sync each, all at once, and the echoes of the engine's own writes.
log(`${USERS} users × ${PER_USER} appointments: seeding`);
for (const ctx of w.contexts.values()) ctx.settings.calendar.enabled = false;
/** Per user, its appointments: CRM id and Outlook event id (found after the first sync). */
const appts = new Map<string, { crmId: string; subject: string; eventId: string }[]>();
for (const [u, name] of names.entries()) {
  const list = [];
  for (let i = 0; i < PER_USER; i++) {
    const day = new Date(Date.now() + (1 + ((u + i) % 60)) * 86_400_000).toISOString().slice(0, 10);
    const hour = String(7 + (i % 12)).padStart(2, "0");
    const subject = `${name}-${i}`;
    const a = await w.crmAdmin.createAppointment(TENANT, {
      subject,
      location: `Street ${i}, Berlin`,
      start: { dateTime: `${day}T${hour}:00:00`, timeZone: "Europe/Berlin" },
      end: { dateTime: `${day}T${hour}:45:00`, timeZone: "Europe/Berlin" },
      organizerId: name,
      participantIds: [name],
    });
    list.push({ crmId: a.id, subject, eventId: "" });
  }
  appts.set(name, list);
}
await w.settle(600_000);
for (const ctx of w.contexts.values()) ctx.settings.calendar.enabled = true;
log("first syncs");
const t0 = performance.now();
await Promise.all(names.map((n) => w.api("POST", `/v1/users/${n}/calendar/sync`)));
await w.settle(1_800_000);
await w.settle(600_000);
const firstSyncSeconds = +((performance.now() - t0) / 1000).toFixed(1);
for (const name of names) {
  const bySubject = new Map((await eventsOf(name)).map((e) => [e.subject, e.id]));
  for (const a of appts.get(name)!) {
    const id = bySubject.get(a.subject);
    if (!id) throw new Error(`first sync: ${a.subject} is not in ${name}'s calendar`);
    a.eventId = id;
  }
}
const subscriptions = (await w.m365.emu.admin.subscriptions()).value.length;
if (subscriptions < USERS) {
  throw new Error(`${subscriptions} Graph subscriptions for ${USERS} users: Outlook changes would wait for a poll`);
}

const cal0 = w.agent(names[0]!).calendarId;
const baselines = await measureBaselines(
  w.nc,
  w.prefix,
  () => outlook.get(names[0]!)!.api(`/me/calendars/${cal0}`).get(),
);
log(`baselines ${JSON.stringify(baselines)}`);

const cells: Record<string, unknown>[] = [];
for (const rate of RATES) {
  log(`cell ${rate}/s for ${SECONDS} s (load ${Deno.loadavg()[0]!.toFixed(2)})`);
  const load = machineLoad();
  const cell = await runCell(rate);
  cells.push({ rate, loadAtStart: load.loadAverage, ...cell });
  log(JSON.stringify(cells.at(-1)));
}

await sql.end();
console.log(JSON.stringify(
  {
    users: USERS,
    appointmentsPerUser: PER_USER,
    secondsPerCell: SECONDS,
    emulatorTimeScale: TIME_SCALE,
    runCoalesceMs: env.BENCH_RUN_COALESCE_MS ?? "engine default",
    outlookWrites: env.BENCH_OUTLOOK_WRITES === "app"
      ? "Graph PATCH with the sync app's token"
      : "as the user in Outlook (emulator)",
    service: env.BENCH_SPAWN === "1" ? "own process" : "bench's process (with the emulator and the CRM simulator)",
    firstSyncSecondsAllUsers: firstSyncSeconds,
    load: machineLoad(),
    baselines,
    latency: cells,
  },
  null,
  2,
));

// ---------------------------------------------------------------------------------------------

/** Moves calendar-sync out of this process: stops it here, spawns it, waits until it answers. */
async function spawnOwnProcess(): Promise<AsyncDisposable> {
  await w.stopService();
  const child = w.spawnService();
  const stop = async () => {
    child.kill("SIGTERM");
    await child.status;
  };
  try {
    await waitFor("calendar-sync to answer", async () => {
      const r = await w.api("GET", `/v1/users/${names[0]}/calendar/status`).catch(() => undefined);
      return r?.status === 200;
    }, { timeoutMs: 60_000, intervalMs: 250 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { [Symbol.asyncDispose]: stop };
}

type Dir = "crmToOutlook" | "outlookToCrm";
interface Sent {
  k: number;
  dir: Dir;
  user: string;
  crmId: string;
  eventId: string;
  subject: string;
  location: string;
  t0: number;
  writeError?: string;
}

/** Sustains `rate` changes/s for SECONDS, alternating CRM → Outlook and Outlook → CRM. */
async function runCell(rate: number) {
  const sent: Sent[] = [];
  const writes: Promise<unknown>[] = [];
  const total = Math.round(rate * SECONDS);
  const next = new Map<string, number>();
  const cellId = crypto.randomUUID().slice(0, 8);
  await w.m365.emu.admin.resetCounts();
  await w.crmAdmin.clearRequests();
  const startedAt = new Date();
  const start = performance.now();
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Users in turn; each user's direction alternates from round to round, so every user sees both.
    const name = names[k % USERS]!;
    const dir: Dir = ((k % USERS) + Math.floor(k / USERS)) % 2 === 0 ? "crmToOutlook" : "outlookToCrm";
    const slot = next.get(name) ?? 0;
    next.set(name, slot + 1);
    const a = appts.get(name)![slot % PER_USER]!;
    const s: Sent = {
      k,
      dir,
      user: name,
      crmId: a.crmId,
      eventId: a.eventId,
      subject: `Viewing ${cellId}-${k}`,
      location: `Street ${cellId}-${k}`,
      t0: Date.now(),
    };
    sent.push(s);
    const write = dir === "crmToOutlook"
      ? w.crmAdmin.updateAppointment(TENANT, s.crmId, { subject: s.subject, location: s.location })
      : env.BENCH_OUTLOOK_WRITES === "app"
      ? outlook.get(name)!.api(`/me/events/${s.eventId}`).patch({
        subject: s.subject,
        location: { displayName: s.location },
      })
      : w.calendar.editEvent(w.agent(name).upn, s.eventId, {
        subject: s.subject,
        location: { displayName: s.location },
      });
    writes.push(write.catch((err) => s.writeError = err instanceof Error ? err.message : String(err)));
  }
  const offered = total / ((performance.now() - start) / 1000);
  await Promise.all(writes);

  // Arrival: read each side until every change is there (or the timeout passes). A change has
  // arrived when the other side holds both its fields; it arrived when that side stored them.
  const arrived = new Map<number, number>();
  const waiting = () => sent.filter((s) => !s.writeError && !arrived.has(s.k));
  const deadline = Date.now() + TIMEOUT_MS;
  while (waiting().length > 0 && Date.now() < deadline) {
    const toOutlook = waiting().filter((s) => s.dir === "crmToOutlook");
    for (const name of new Set(toOutlook.map((s) => s.user))) {
      const byId = new Map((await eventsOf(name)).map((e) => [e.id, e]));
      for (const s of toOutlook.filter((s) => s.user === name)) {
        const e = byId.get(s.eventId);
        if (e?.subject === s.subject && e.location?.displayName === s.location) {
          arrived.set(s.k, Date.parse(e.lastModifiedDateTime));
        }
      }
    }
    const toCrm = waiting().filter((s) => s.dir === "outlookToCrm");
    if (toCrm.length > 0) {
      const byId = new Map((await w.crmAdmin.appointments(TENANT)).map((a) => [a.id, a]));
      for (const s of toCrm) {
        const a = byId.get(s.crmId);
        if (a?.subject === s.subject && a.location === s.location) arrived.set(s.k, Date.parse(a.updatedAt));
      }
    }
    if (waiting().length > 0) await new Promise((r) => setTimeout(r, 500));
  }

  const lat = (dir: Dir) => sent.filter((s) => s.dir === dir && arrived.has(s.k)).map((s) => arrived.get(s.k)! - s.t0);
  const notArrived = (dir: Dir) => sent.filter((s) => s.dir === dir && !s.writeError && !arrived.has(s.k)).length;
  const writeErrors = (dir: Dir) => sent.filter((s) => s.dir === dir && s.writeError).length;

  // What both sides hold for changes that never arrived (should be none), and the runs that failed.
  const missing = [];
  for (const s of waiting().slice(0, 5)) {
    const crm = await w.crmAdmin.appointment(TENANT, s.crmId).catch((err) => ({ error: String(err) }));
    const o = (await eventsOf(s.user)).find((e) => e.id === s.eventId);
    missing.push({
      dir: s.dir,
      user: s.user,
      wrote: s.subject,
      crm: "error" in crm ? crm.error : { subject: crm.subject, location: crm.location, updatedAt: crm.updatedAt },
      outlook: o
        ? { subject: o.subject, location: o.location?.displayName, modified: o.lastModifiedDateTime }
        : "(gone)",
    });
  }
  const runs = await sql`select status, count(*)::int as n from calendar_sync.sync_runs
    where started_at >= ${startedAt} group by status order by status`;
  // Writes the service made for the cell, once it is quiet again (echo runs included): one per
  // change on the other side, none more (an echo written back would show here).
  await w.settle(600_000);
  const graphWrites = await w.graphWrites();
  const crmCalls = await w.crmAdmin.requests({ tenantId: TENANT });
  const crmWrites = crmCalls.filter((r) => r.outcome === "ok" && r.write).length;
  const counts = Object.values(await w.m365.emu.admin.counts());
  const runMs = await sql`select extract(epoch from finished_at - started_at) * 1000 as ms,
    graph_requests from calendar_sync.sync_runs where started_at >= ${startedAt} and finished_at is not null`;
  const failedRuns = await sql`select user_id, status, error, reasons from calendar_sync.sync_runs
    where started_at >= ${startedAt} and status not in ('completed', 'running') limit 5`;
  return {
    offeredPerSecond: +offered.toFixed(1),
    changes: sent.length,
    crmToOutlook: { ...percentiles(lat("crmToOutlook")), notArrived: notArrived("crmToOutlook") },
    outlookToCrm: { ...percentiles(lat("outlookToCrm")), notArrived: notArrived("outlookToCrm") },
    ...(sent.some((s) => s.writeError)
      ? {
        writeErrors: {
          crmToOutlook: writeErrors("crmToOutlook"),
          outlookToCrm: writeErrors("outlookToCrm"),
          first: sent.find((s) => s.writeError)!.writeError,
        },
      }
      : {}),
    writesByTheService: {
      graph: graphWrites,
      crm: crmWrites,
      expected: {
        graph: sent.filter((s) => s.dir === "crmToOutlook").length,
        crm: sent.filter((s) => s.dir === "outlookToCrm").length,
      },
      // The simulator keeps the last 20,000 calls: beyond that the CRM count is a lower bound.
      ...(crmCalls.length >= 20_000 ? { crmLogFull: true } : {}),
    },
    // Graph answers 429 in the cell (any client) and the most requests of one app in flight on one mailbox.
    graphThrottled: counts.reduce((n, c) => n + c.throttled, 0),
    graphPeakConcurrency: Math.max(0, ...counts.map((c) => c.peakConcurrency)),
    runsStartedByStatus: Object.fromEntries(runs.map((r) => [r.status as string, r.n as number])),
    // How long the cell's runs took (start to end) and the Graph requests each made.
    runDurationMs: percentiles(runMs.map((r) => Number(r.ms))),
    graphRequestsPerRun: percentiles(runMs.map((r) => Number(r.graph_requests ?? 0))),
    ...(missing.length ? { missing } : {}),
    ...(failedRuns.length ? { failedRuns } : {}),
  };
}
