// The scheduler against real Postgres and NATS (P3, P7, P8): users run concurrently in one replica,
// one user never twice across replicas, bursts coalesce, a request during a run is never lost,
// partial runs go behind waiting users, and a run no process holds is marked interrupted.
import assert from "node:assert/strict";
import { pgSchema } from "drizzle-orm/pg-core";
import { type Database, openDatabase } from "../db/mod.ts";
import { RetryableError } from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import { natsCatalog } from "../nats/mod.ts";
import { connectTestNats, isolatedInfra, waitFor } from "../testing/mod.ts";
import { type RunJob, type RunOutcome, Scheduler, type SchedulerOptions } from "./scheduler.ts";
import { engineTables } from "./tables.ts";

// The tables as contacts-sync creates them (its migrations are the ones applied).
const tables = engineTables(pgSchema("contacts_sync"));
const migrations = new URL("../../services/contacts-sync/drizzle", import.meta.url).pathname;
const logger = new Logger("test", "error");

type Run = (job: RunJob) => Promise<RunOutcome>;

async function withSchedulers(
  fn: (
    make: (run: Run, o?: Partial<SchedulerOptions>, start?: boolean) => Promise<Scheduler>,
    db: Database<Record<string, never>>,
  ) => Promise<void>,
) {
  await using infra = await isolatedInfra("sched");
  const nc = await connectTestNats();
  const wakeSubject = natsCatalog(infra.prefix).subjects.contacts.runWake;
  const open = () =>
    openDatabase({ url: infra.db.url, service: "contacts-sync", schema: {}, migrationsFolder: migrations, logger });
  const made: { s: Scheduler; db: Database<Record<string, never>> }[] = [];
  const first = await open();
  // Each scheduler is a replica with a pool of its own.
  const make = async (run: Run, o: Partial<SchedulerOptions> = {}, start = true) => {
    const db = made.length === 0 ? first : await open();
    const s = new Scheduler({
      service: "contacts",
      db: db.db,
      users: tables.syncUsers,
      runs: tables.syncRuns,
      nc,
      wakeSubject,
      logger,
      run,
      slots: 4,
      coalesceMs: 20,
      leaseMs: 5_000,
      sweepMs: 200,
      ...o,
    });
    made.push({ s, db });
    if (start) s.start();
    return s;
  };
  try {
    await fn(make, first);
  } finally {
    for (const m of made) await m.s.stop();
    for (const m of made) await m.db.close();
    await nc.drain();
  }
}

/** A promise and its resolver. */
function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

async function pending(db: Database<Record<string, never>>, userId: string): Promise<boolean> {
  const [r] = await db.sql`select requested_seq > completed_seq as p from contacts_sync.sync_users
    where user_id = ${userId}`;
  return r?.p ?? false;
}

Deno.test("Scheduler runs two users' runs at once in one replica (P8)", async () => {
  await withSchedulers(async (make, db) => {
    const active = new Set<string>();
    let overlapped = false;
    const both = gate();
    const run: Run = async (job) => {
      active.add(job.userId);
      if (active.has("u1") && active.has("u2")) {
        overlapped = true;
        both.open();
      }
      // Each run holds its slot until the other user's run is under way too (or gives up).
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([both.p, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      active.delete(job.userId);
      return { status: "completed" };
    };
    const s = await make(run, { slots: 2 });
    await s.request("t1", "u1", "edit");
    await s.request("t1", "u2", "edit");
    await waitFor("both users served", async () => !(await pending(db, "u1")) && !(await pending(db, "u2")), {
      timeoutMs: 30_000,
    });
    assert.ok(overlapped, "u1's and u2's runs overlapped in the one replica");
  });
});

Deno.test("Scheduler never runs one user twice at once, across replicas and however many requests (P7)", async () => {
  await withSchedulers(async (make, db) => {
    let active = 0;
    let peak = 0;
    let runs = 0;
    const run: Run = async () => {
      active++;
      runs++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30));
      active--;
      return { status: "completed" };
    };
    const a = await make(run);
    const b = await make(run); // a second replica on the same database
    for (let i = 0; i < 40; i++) {
      await (i % 2 ? a : b).request("t1", "u1", `edit ${i}`);
      if (i % 8 === 0) await waitFor("a run under way", () => runs > 0 || i === 0);
    }
    await waitFor("the user served", async () => !(await pending(db, "u1")), { timeoutMs: 30_000 });
    assert.equal(peak, 1, "one run at a time");
    assert.ok(runs >= 1);
  });
});

Deno.test("Scheduler: a burst of requests makes one run; a request during a run makes one more, never none (P3)", async () => {
  await withSchedulers(async (make, db) => {
    const started: string[][] = [];
    const release = gate();
    const ref: { s?: Scheduler } = {};
    const run: Run = async (job) => {
      started.push(job.reasons);
      if (started.length === 1) {
        await ref.s!.request("t1", "u1", "during the run");
        await release.p;
      }
      return { status: "completed" };
    };
    // The burst is recorded before the replica starts claiming, however slow the machine.
    const s = ref.s = await make(run, {}, false);
    for (let i = 0; i < 30; i++) await s.request("t1", "u1", `burst ${i % 3}`);
    s.start();
    await waitFor("the first run", () => started.length === 1);
    release.open();
    await waitFor("the user served", async () => !(await pending(db, "u1")) && started.length === 2);
    assert.deepEqual(started[0], ["burst 0", "burst 1", "burst 2"], "one run for the burst, with its reasons");
    assert.deepEqual(started[1], ["during the run"]);
    const [u] = await db.sql`select requested_seq::int, completed_seq::int from contacts_sync.sync_users`;
    assert.deepEqual([u!.requested_seq, u!.completed_seq], [31, 31]);
    const runs = await db.sql`select status from contacts_sync.sync_runs`;
    assert.deepEqual(runs.map((r) => r.status), ["completed", "completed"]);
  });
});

Deno.test("Scheduler: a thrown run stays pending and is retried after its back-off; a held run pauses until confirmed", async () => {
  await withSchedulers(async (make, db) => {
    let calls = 0;
    const confirmedRuns: boolean[] = [];
    const run: Run = (job) => {
      calls++;
      confirmedRuns.push(job.confirmed);
      if (calls === 1) return Promise.reject(new RetryableError("Graph down", 50));
      if (calls === 2) return Promise.resolve({ status: "paused", held: true, reason: "would archive 15 of 20" });
      return Promise.resolve({ status: "completed" });
    };
    const s = await make(run);
    await s.request("t1", "u1", "x");
    await waitFor("the retried run to pause the user", async () => {
      const [u] = await db.sql`select paused_reason from contacts_sync.sync_users`;
      return u?.paused_reason === "would archive 15 of 20";
    });
    const statuses = (await db.sql`select status, error from contacts_sync.sync_runs order by started_at`)
      .map((r) => r.status);
    assert.deepEqual(statuses, ["failed", "paused"]);
    assert.equal(await s.confirm("t1", "nobody"), false);
    assert.equal(await s.confirm("t1", "u1"), true);
    await waitFor("the confirmed run", () => calls === 3);
    await waitFor("the user served", async () => !(await pending(db, "u1")));
    assert.deepEqual(confirmedRuns, [false, false, true]);
    const [u] = await db.sql`select paused_reason, confirmed_at from contacts_sync.sync_users`;
    assert.deepEqual([u!.paused_reason, u!.confirmed_at], [null, null]);
  });
});

Deno.test("Scheduler: a partial run (a chunk of a long first sync) goes behind users who wait (P8)", async () => {
  await withSchedulers(async (make, db) => {
    const order: string[] = [];
    const waiting = gate();
    const ref: { s?: Scheduler } = {};
    let bigChunks = 0;
    const run: Run = async (job) => {
      order.push(job.userId);
      if (job.userId === "big") {
        bigChunks++;
        if (bigChunks === 1) {
          // While the first chunk runs, two small users ask for a run.
          await ref.s!.request("t1", "small1", "edit");
          await ref.s!.request("t1", "small2", "edit");
          await waiting.p;
        }
        return bigChunks < 3 ? { status: "partial", partial: true } : { status: "completed" };
      }
      return { status: "completed" };
    };
    const s = ref.s = await make(run, { slots: 1 });
    await s.request("t1", "big", "first sync");
    await waitFor("the first chunk", () => bigChunks === 1);
    await waitFor("both small users due", async () => {
      const [r] = await db.sql`select count(*)::int as n from contacts_sync.sync_users
        where user_id like 'small%' and due_at <= now()`;
      return r!.n === 2;
    });
    waiting.open();
    await waitFor("everyone served", async () => !(await pending(db, "big")) && order.length === 5);
    assert.deepEqual(order, ["big", "small1", "small2", "big", "big"]);
    const runs = await db.sql`select status from contacts_sync.sync_runs where user_id = 'big' order by started_at`;
    assert.deepEqual(runs.map((r) => r.status), ["partial", "partial", "completed"]);
  });
});

Deno.test("Scheduler: a run whose lease expired (its process died) is marked interrupted and the user runs again", async () => {
  await withSchedulers(async (make, db) => {
    const deadRun = crypto.randomUUID();
    // What a killed replica leaves behind: a claimed user with a lease that ran out, and its run row.
    await db.sql`insert into contacts_sync.sync_users (tenant_id, user_id, requested_seq, completed_seq, claimed_seq,
      waiting_since, lease_owner, lease_until, run_id)
      values ('t1', 'u1', 3, 2, 3, now(), 'dead-replica', now() - interval '1 second', ${deadRun})`;
    await db.sql`insert into contacts_sync.sync_runs (id, tenant_id, user_id, reasons, started_at, status)
      values (${deadRun}, 't1', 'u1', 'edit', now() - interval '1 minute', 'running')`;
    const ran: string[] = [];
    await make((job) => {
      ran.push(job.runId);
      return Promise.resolve({ status: "completed" });
    });
    await waitFor("the user to run again", async () => ran.length === 1 && !(await pending(db, "u1")));
    const [dead] = await db.sql`select status, finished_at from contacts_sync.sync_runs where id = ${deadRun}`;
    assert.equal(dead!.status, "interrupted");
    assert.ok(dead!.finished_at);
  });
});
