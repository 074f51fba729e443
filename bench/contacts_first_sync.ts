// Benchmark (not a test): first sync of 10,000 CRM contacts into one mailbox against the emulator
// enforcing Graph's per-mailbox budget (10,000 requests per 10 minutes, 4 concurrent), time-scaled.
// Reports Graph requests and operations per contact, wall time as a ratio to the minimum that budget
// allows, retries after 429s, and the cost of a run with nothing changed. Run: deno task bench.
import { API_KEY, startContactsWorld, TENANT, USER } from "@app/contacts-sync/testing";
import { freePort } from "@app/shared/testing";

const N = Number(Deno.env.get("BENCH_CONTACTS") ?? 10_000);
const TIME_SCALE = Number(Deno.env.get("BENCH_TIME_SCALE") ?? 0.05);
const LIMIT = 10_000;
const WINDOW_MS = 10 * 60_000 * TIME_SCALE;
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 60);

// The engine's Graph window is real time; the emulator's runs at TIME_SCALE, so the engine's must too
// (else it spaces the 10,000 requests over 10 real minutes while the emulator allows them in 30 s).
const ENGINE_ENV = { GRAPH_WINDOW_MS: String(WINDOW_MS) };
await using w = await startContactsWorld({ emulator: { timeScale: TIME_SCALE }, env: ENGINE_ENV });
// Seeded 1,000 at a time: the simulator, like every service, refuses bodies over 1 MiB.
const seed = Array.from({ length: N }, (_, i) => ({
  givenName: `Given${i}`,
  familyName: `Family${i}`,
  company: `Agency ${i % 200}`,
  emails: [{ address: `person${i}@example.com`, kind: "work" as const }],
  phones: [{ number: `+49 89 ${1_000_000 + i}`, kind: "business" as const }],
  syncUserIds: [USER],
}));
for (let i = 0; i < seed.length; i += 1_000) {
  await w.crmAdmin.createContacts(TENANT, seed.slice(i, i + 1_000), { emitEvents: false });
}
const mailbox = w.m365.users[0]!.id;
await w.m365.emu.admin.resetCounts();

const t0 = performance.now();
const first = await w.syncNow();
const wallMs = performance.now() - t0;
const counts = (await w.m365.emu.admin.counts())[mailbox]!;
const written = first.summary.done.createInGraph ?? 0;

// The budget lets L operations through per sliding window: N operations need floor((N-1)/L) full windows.
const minimumMs = Math.floor((counts.operations - 1) / LIMIT) * WINDOW_MS;

await w.syncNow(); // our own writes come back once through delta
await w.m365.emu.admin.resetCounts();
const t1 = performance.now();
const noop = await w.syncNow();
const noopMs = performance.now() - t1;
const noopCounts = (await w.m365.emu.admin.counts())[mailbox];

// Baseline for the no-op: one bare delta request for the same folder, measured in this run.
const t2 = performance.now();
await w.outlookClient().api(`/me/contactFolders/${w.folderId}/contacts/delta`).header("Prefer", "odata.maxpagesize=1")
  .get();
const oneRequestMs = performance.now() - t2;

const report = {
  contacts: N,
  timeScale: TIME_SCALE,
  window: `${WINDOW_MS / 1000} s (10 min × ${TIME_SCALE})`,
  firstSync: {
    status: first.status,
    written,
    wallSeconds: +(wallMs / 1000).toFixed(2),
    minimumSecondsTheBudgetAllows: +(minimumMs / 1000).toFixed(2),
    wallToMinimumRatio: minimumMs > 0 ? +(wallMs / minimumMs).toFixed(3) : null,
    graphHttpRequests: counts.requests,
    graphOperations: counts.operations,
    httpRequestsPerContact: +(counts.requests / N).toFixed(4),
    operationsPerWrittenItem: written ? +(counts.operations / written).toFixed(4) : null,
    throttled: counts.throttled,
  },
  noopRun: {
    graphRequests: noopCounts?.requests ?? 0,
    wallMs: +noopMs.toFixed(1),
    ratioToOneBareDeltaRequest: +(noopMs / oneRequestMs).toFixed(2),
    done: noop.summary.done,
  },
};
console.log(JSON.stringify(report, null, 2));

// Memory: contacts-sync in a process of its own, idle and during a first sync of N contacts.
const memory = await measureMemory();
console.log(JSON.stringify({ contactsSyncMemoryMB: memory }, null, 2));

async function measureMemory() {
  await using m = await startContactsWorld({ emulator: { timeScale: TIME_SCALE }, env: ENGINE_ENV });
  await m.stopService();
  await m.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: N }, (_, i) => ({ givenName: `M${i}`, familyName: "Memory", syncUserIds: [USER] })),
    { emitEvents: false },
  );
  const port = freePort();
  const child = m.spawnService({ PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`))![1]) / 1024;
  const call = async (method: string, path: string) => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${API_KEY}` } });
    return await res.json();
  };
  while (true) {
    try {
      const r = await fetch(`${base}/readyz`);
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const idle = rss();
  let peak = idle;
  await call("POST", `/v1/users/${USER}/contacts/sync`);
  while (true) {
    peak = Math.max(peak, rss());
    const s = await call("GET", `/v1/users/${USER}/contacts/status`);
    if (!s.pending && s.runs[0]?.finishedAt) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const afterFirstSync = rss();
  // Memory must not grow with the number of runs: RUNS more runs over the synced folder.
  const samples: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    await call("POST", `/v1/users/${USER}/contacts/sync`);
    while ((await call("GET", `/v1/users/${USER}/contacts/status`)).pending) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (i % 10 === 0) samples.push(+rss().toFixed(1));
  }
  const after = rss();
  child.kill("SIGTERM");
  await child.status;
  return {
    idle: +idle.toFixed(1),
    peakDuringFirstSync: +peak.toFixed(1),
    afterFirstSync: +afterFirstSync.toFixed(1),
    [`after${RUNS}MoreRuns`]: +after.toFixed(1),
    everyTenRuns: samples,
  };
}
