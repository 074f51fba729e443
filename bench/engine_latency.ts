// Benchmark (not a test) of the shared engine (P7, P8): how long a change takes to reach the other
// side at a sustained rate over many linked users, with and without one user's 10,000-contact first
// sync at the same time; runs per second per replica with 1, 2 and 4 replicas; the engine time of
// a one-contact change in a 10,000-contact mailbox against a 100-contact one. Every figure stands
// beside baselines measured in the same run: a bare NATS request/reply and a bare Graph request.
//
// Latency is measured from the moment the bench writes a change to the moment the other side
// stored it (the emulator's lastModifiedDateTime, the CRM's updatedAt; both real-time clocks of
// this machine), so polling by the bench adds nothing to the figures.
//
// Run: deno task bench latency. BENCH_SECONDS (default 60) is each cell's duration; BENCH_QUICK=1
// makes it 10 s. BENCH_USERS (default 50) linked users.
import { waitFor } from "@app/shared/testing";
import { performance } from "node:perf_hooks";
import { type BenchUser, type ManyUsersWorld, startManyUsersWorld, TENANT } from "@app/contacts-sync/testing";
import { machineLoad, measureBaselines, percentiles } from "./_latency_kit.ts";

const QUICK = Deno.env.get("BENCH_QUICK") === "1";
const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? (QUICK ? 10 : 60));
const USERS = Number(Deno.env.get("BENCH_USERS") ?? 50);
const RATES = (Deno.env.get("BENCH_RATES") ?? "10,25,50").split(",").map(Number);
const BIG = Number(Deno.env.get("BENCH_BIG") ?? 10_000);
const TIME_SCALE = Number(Deno.env.get("BENCH_TIME_SCALE") ?? 0.05);
// Which parts run (all by default): latency cells, one change's engine time, runs per second.
const PARTS = new Set((Deno.env.get("BENCH_PARTS") ?? "latency,engine,runs").split(","));
// Each contact changes at most once per cell and direction, so arrival times are unambiguous.
const PER_USER = Math.max(20, Math.ceil((Math.max(...RATES) * SECONDS) / USERS) + 2);

const names = Array.from({ length: USERS }, (_, i) => `u${i}`);
// One big user per rate: each "with a first sync" cell starts its own, so every such cell overlaps one.
const bigs = RATES.map((r) => `big${r}`);
await using w = await startManyUsersWorld({
  mailboxes: [...names, ...bigs, "hundred"],
  timeScale: TIME_SCALE,
  // The engine's Graph window follows the emulator's time scale (10 minutes × scale).
  env: {
    GRAPH_WINDOW_MS: String(Math.max(1_000, 600_000 * TIME_SCALE)),
    // BENCH_RUN_CHUNK_MS: e.g. a first sync in one run, not re-read every 30 s on a busy machine.
    ...(Deno.env.get("BENCH_RUN_CHUNK_MS") ? { RUN_CHUNK_MS: Deno.env.get("BENCH_RUN_CHUNK_MS")! } : {}),
  },
});
const log = (m: string) => console.error(`[latency] ${m}`);

// Users, each with PER_USER contacts linked; the big ones get BIG contacts (synced later), "hundred" 100.
const upns = new Map(w.m365.users.map((u) => [u.displayName, u.userPrincipalName]));
const crmIds = new Map<string, string[]>();
for (const name of [...names, ...bigs, "hundred"]) {
  await w.addUser(name, upns.get(name)!);
  const n = bigs.includes(name) ? BIG : name === "hundred" ? 100 : PER_USER;
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: n }, (_, i) => ({ givenName: `${name}-${i}`, familyName: "Bench", syncUserIds: [name] })),
    { emitEvents: false },
  );
  crmIds.set(name, ids);
}
// Their first syncs start when a cell asks for them.
for (const name of bigs) w.users.get(name)!.context.settings.contacts.enabled = false;
const big = w.users.get(bigs[0]!)!;
await w.startReplicas(1);
log(`${USERS} users × ${PER_USER} contacts: first syncs`);
for (const name of [...names, "hundred"]) await w.api("POST", `/v1/users/${name}/contacts/sync`);
await w.settle();
await w.settle(); // echoes of our own writes

// Outlook ids by CRM id (from each contact's stamp is more than needed: match by given name).
const outlookIds = new Map<string, string>();
for (const name of names) {
  const items = (await w.m365.emu.admin.contacts(upns.get(name)!, w.users.get(name)!.folderId)).value;
  const ids = crmIds.get(name)!;
  for (const item of items) {
    const i = Number(String(item.givenName).split("-")[1]);
    outlookIds.set(ids[i]!, item.id as string);
  }
}

const u0 = w.users.get(names[0]!)!;
const baselines = await measureBaselines(
  w.nc,
  w.prefix,
  () => u0.outlook.api(`/me/contactFolders/${u0.folderId}`).get(),
);
log(`baselines ${JSON.stringify(baselines)}`);

const cells: Record<string, unknown>[] = [];
for (const withBig of PARTS.has("latency") ? [false, true] : []) {
  for (const rate of RATES) {
    let bigProgress: Record<string, number> | undefined;
    const cellBig = w.users.get(`big${rate}`)!;
    if (withBig) {
      cellBig.context.settings.contacts.enabled = true;
      await w.api("POST", `/v1/users/big${rate}/contacts/sync`);
      await waitFor("the first sync's first writes", async () => (await outlookCount(w, cellBig)) > 0, {
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      bigProgress = { atStart: await outlookCount(w, cellBig) };
    }
    log(`cell ${rate}/s${withBig ? " with the 10k first sync" : ""}`);
    const cell = await runCell(w, rate);
    if (bigProgress) bigProgress.atEnd = await outlookCount(w, cellBig);
    cells.push({ rate, withBigFirstSync: withBig, ...cell, ...(bigProgress ? { bigFirstSync: bigProgress } : {}) });
    log(JSON.stringify(cells.at(-1)));
    if (!withBig) await w.settle();
  }
}

// The big first sync finishes; then one change's engine time in 10,000 vs 100 contacts.
let engineTime: Record<string, unknown> | undefined;
if (PARTS.has("engine")) {
  if (!big.context.settings.contacts.enabled) {
    big.context.settings.contacts.enabled = true;
    await w.api("POST", `/v1/users/${bigs[0]}/contacts/sync`);
  }
  log("waiting for the 10k first sync to finish");
  await waitFor("the 10k first sync to finish", async () => (await outlookCount(w, big)) >= BIG, {
    timeoutMs: 3_600_000,
    intervalMs: 250,
  });
  await w.settle();
  await w.settle();
  const mailbox10k = await oneChangeEngineTimes(w, bigs[0]!, crmIds.get(bigs[0]!)!);
  const mailbox100 = await oneChangeEngineTimes(w, "hundred", crmIds.get("hundred")!);
  engineTime = { mailbox10k, mailbox100, ratioOfMedians: +(mailbox10k.medianMs / mailbox100.medianMs).toFixed(2) };
  log(`engine time ${JSON.stringify(engineTime)}`);
}

// Runs per second per replica: every user asks for a run at once, rounds after rounds. The big
// user's first sync (if one is still running) is switched off first: its chunks would hold settle.
for (const name of bigs) w.users.get(name)!.context.settings.contacts.enabled = false;
const runsPerSecond: Record<string, unknown> = {};
for (const replicas of PARTS.has("runs") ? [1, 2, 4] : []) {
  await w.startReplicas(replicas);
  await w.settle();
  runsPerSecond[`replicas${replicas}`] = await measureRuns(w, names, replicas);
  log(`runs/s ${replicas}: ${JSON.stringify(runsPerSecond[`replicas${replicas}`])}`);
}

console.log(JSON.stringify(
  {
    users: USERS,
    contactsPerUser: PER_USER,
    secondsPerCell: SECONDS,
    emulatorTimeScale: TIME_SCALE,
    load: machineLoad(),
    baselines,
    latency: cells,
    engineTimeOfOneChange: engineTime,
    runsPerSecond,
  },
  null,
  2,
));

// ---------------------------------------------------------------------------------------------

/** Sustains `rate` changes/s for SECONDS, alternating CRM → Outlook and Outlook → CRM. */
async function runCell(w: ManyUsersWorld, rate: number) {
  const sent: { dir: "crmToOutlook" | "outlookToCrm"; user: BenchUser; crmId: string; token: string; t0: number }[] =
    [];
  const writes: Promise<unknown>[] = [];
  const total = Math.round(rate * SECONDS);
  const next = new Map<string, number>();
  const start = performance.now();
  const cellId = crypto.randomUUID().slice(0, 8);
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const name = names[k % USERS]!;
    const user = w.users.get(name)!;
    // Each round over the users flips the direction, so every user changes both ways.
    const dir = (k + Math.floor(k / USERS)) % 2 === 0 ? "crmToOutlook" : "outlookToCrm";
    // Each change takes the user's next contact, so no contact changes twice in a cell (PER_USER is
    // sized for the fastest cell): a later change never overwrites an earlier one before it is seen.
    const slot = next.get(name) ?? 0;
    next.set(name, slot + 1);
    const crmId = crmIds.get(name)![slot % PER_USER]!;
    const token = `${cellId}-${k}`;
    const t0 = Date.now();
    sent.push({ dir, user, crmId, token, t0 });
    writes.push(
      dir === "crmToOutlook"
        ? w.crmAdmin.updateContact(TENANT, crmId, { jobTitle: token })
        : user.outlook.api(`/me/contactFolders/${user.folderId}/contacts/${outlookIds.get(crmId)}`).patch({
          jobTitle: token,
        }),
    );
  }
  const offered = (total / ((performance.now() - start) / 1000)).toFixed(1);
  await Promise.all(writes);

  // Arrival: read each side until every change is there (or a generous deadline passes).
  const arrived = new Map<string, number>();
  const seenInOutlook = new Map<string, number>();
  const deadline = Date.now() + 120_000;
  while (arrived.size < sent.length && Date.now() < deadline) {
    for (const name of new Set(sent.filter((s) => !arrived.has(s.token)).map((s) => s.user.userId))) {
      const user = w.users.get(name)!;
      const outlook = (await w.m365.emu.admin.contacts(user.upn, user.folderId)).value;
      for (const o of outlook) {
        if (typeof o.jobTitle === "string" && o.jobTitle.startsWith(cellId)) {
          seenInOutlook.set(o.jobTitle, Date.parse(o.lastModifiedDateTime as string));
        }
      }
    }
    for (const s of sent.filter((s) => !arrived.has(s.token))) {
      if (s.dir === "crmToOutlook") {
        const at = seenInOutlook.get(s.token);
        if (at !== undefined) arrived.set(s.token, at);
      } else {
        const c = await w.crmAdmin.contact(TENANT, s.crmId);
        if (c.jobTitle === s.token) arrived.set(s.token, Date.parse(c.updatedAt));
      }
    }
    if (arrived.size < sent.length) await new Promise((r) => setTimeout(r, 500));
  }
  const lat = (dir: string) =>
    sent.filter((s) => s.dir === dir && arrived.has(s.token)).map((s) => arrived.get(s.token)! - s.t0);
  const lost = (dir: string) => sent.filter((s) => s.dir === dir && !arrived.has(s.token)).length;
  // What the sides hold for changes that never arrived (should be none).
  const missing = [];
  for (const s of sent.filter((s) => !arrived.has(s.token)).slice(0, 5)) {
    const crm = await w.crmAdmin.contact(TENANT, s.crmId);
    const o = (await w.m365.emu.admin.contacts(s.user.upn, s.user.folderId)).value.find((x) =>
      x.id === outlookIds.get(s.crmId)
    );
    missing.push({ dir: s.dir, token: s.token, crm: crm.jobTitle ?? null, outlook: o?.jobTitle ?? "(gone)" });
  }
  const failedRuns = await w.sql`select status, error, summary->'failures' as failures from contacts_sync.sync_runs
    where started_at > to_timestamp(${
    start / 1000 + performance.timeOrigin / 1000
  }) and status in ('failed', 'interrupted')
    limit 5`;
  return {
    ...(missing.length ? { missing, failedRuns } : {}),
    offeredPerSecond: +offered,
    crmToOutlook: { ...percentiles(lat("crmToOutlook")), notArrived: lost("crmToOutlook") },
    outlookToCrm: { ...percentiles(lat("outlookToCrm")), notArrived: lost("outlookToCrm") },
  };
}

/** Engine time (run start → end) of the run carrying one CRM edit, 10 times. */
async function oneChangeEngineTimes(w: ManyUsersWorld, userId: string, ids: string[]) {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = Number(
      (await w.sql`select count(*)::int as n from contacts_sync.sync_runs
      where user_id = ${userId} and finished_at is not null`)[0]!.n,
    );
    await w.crmAdmin.updateContact(TENANT, ids[(i * 37) % ids.length]!, { jobTitle: `engine-${i}-${Date.now()}` });
    await waitFor("the change's run", async () => {
      const n = Number(
        (await w.sql`select count(*)::int as n from contacts_sync.sync_runs
        where user_id = ${userId} and finished_at is not null`)[0]!.n,
      );
      return n > before;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const rows = await w.sql`select started_at, finished_at, summary from contacts_sync.sync_runs
      where user_id = ${userId} and finished_at is not null order by started_at desc limit 5`;
    const run = rows.find((r) => (r.summary as { done?: Record<string, number> })?.done?.updateInGraph) ?? rows[0]!;
    times.push((run.finished_at as Date).getTime() - (run.started_at as Date).getTime());
    await w.settle();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    minMs: sorted[0]!,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    maxMs: sorted.at(-1)!,
    runs: times.length,
  };
}

/**
 * Runs finished per second with every user always wanting one: each user idle again (its run
 * done) asks for the next at once, for SECONDS/2 (at least 5 s).
 */
async function measureRuns(w: ManyUsersWorld, users: string[], replicas: number) {
  const count = async () =>
    Number((await w.sql`select count(*)::int as n from contacts_sync.sync_runs where finished_at is not null`)[0]!.n);
  const before = await count();
  const t0 = performance.now();
  const ms = Math.max(5_000, (SECONDS * 1000) / 2);
  while (performance.now() - t0 < ms) {
    const idle = await w.sql`select user_id from contacts_sync.sync_users where requested_seq <= completed_seq`;
    const wanted = new Set(users);
    await Promise.all(
      idle.filter((r) => wanted.has(r.user_id as string)).map((r) =>
        w.api("POST", `/v1/users/${r.user_id}/contacts/sync`)
      ),
    );
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  const runs = (await count()) - before;
  await w.settle();
  return {
    runs,
    seconds: +seconds.toFixed(1),
    runsPerSecond: +(runs / seconds).toFixed(1),
    runsPerSecondPerReplica: +(runs / seconds / replicas).toFixed(1),
  };
}

async function outlookCount(w: ManyUsersWorld, u: BenchUser): Promise<number> {
  return (await w.m365.emu.admin.contacts(u.upn, u.folderId)).value.length;
}
