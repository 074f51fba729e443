// RunCoordinator against real Postgres and NATS: one run per user across replicas, bursts coalesce,
// a request made during a run is never lost (P3, P7).
import assert from "node:assert/strict";
import { pgSchema } from "drizzle-orm/pg-core";
import { type Database, openDatabase } from "../db/mod.ts";
import { makeEnvelope } from "../contract/mod.ts";
import { RetryableError } from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import { ensureTopology, natsCatalog } from "../nats/mod.ts";
import { connectTestNats, isolatedInfra } from "../testing/mod.ts";
import { RunCoordinator, type RunUser } from "./coordinator.ts";
import { syncRunsTable, syncUsersTable } from "./tables.ts";

// The tables as contacts-sync creates them (its migrations are the ones applied).
const schema = pgSchema("contacts_sync");
const users = syncUsersTable(schema);
const runs = syncRunsTable(schema);
const migrations = new URL("../../services/contacts-sync/drizzle", import.meta.url).pathname;
const logger = new Logger("test", "error");
const meta = { subject: "s", streamSequence: 1, deliveryCount: 1, working: () => {} };
const message = (reason = "test") => makeEnvelope("sync.run.requested", 1, "t1", { userId: "u1", reason });

async function withCoordinators(
  run: RunUser,
  fn: (a: RunCoordinator, b: RunCoordinator, db: Database<Record<string, never>>) => Promise<void>,
) {
  await using infra = await isolatedInfra("runs");
  const nc = await connectTestNats();
  const catalog = natsCatalog(infra.prefix);
  await ensureTopology(nc, [catalog.streams.syncWork]);
  const open = () =>
    openDatabase({ url: infra.db.url, service: "contacts-sync", schema: {}, migrationsFolder: migrations, logger });
  const [dbA, dbB] = [await open(), await open()]; // two replicas: two pools
  const coordinator = (database: typeof dbA) =>
    new RunCoordinator({
      service: "contacts-sync",
      database,
      users,
      runs,
      nc,
      subject: catalog.subjects.contacts.runRequested,
      logger,
      run,
      coalesceMs: 50,
    });
  try {
    await fn(coordinator(dbA), coordinator(dbB), dbA);
  } finally {
    await dbA.close();
    await dbB.close();
    await nc.drain();
  }
}

Deno.test("RunCoordinator.handle() never runs one user on two replicas at once; the second waits its turn", async () => {
  let active = 0;
  let peak = 0;
  const run: RunUser = async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 300));
    active--;
    return { status: "completed" };
  };
  await withCoordinators(run, async (a, b) => {
    await a.request("t1", "u1", "first");
    const first = a.handle(message(), meta);
    await new Promise((r) => setTimeout(r, 100)); // a holds the user's lock and is running
    await b.request("t1", "u1", "second");
    await assert.rejects(b.handle(message(), meta), RetryableError, "the lock is held: retry later");
    await first; // a saw the second request before letting go, and ran again
    assert.equal(peak, 1);
  });
});

Deno.test("RunCoordinator: a burst of requests makes one run; a request during a run makes one more, never none", async () => {
  const started: number[] = [];
  let coordinator: RunCoordinator | undefined;
  const run: RunUser = async () => {
    started.push(Date.now());
    if (started.length === 1) await coordinator!.request("t1", "u1", "during the run");
    return { status: "completed" };
  };
  await withCoordinators(run, async (a, _b, db) => {
    coordinator = a;
    for (let i = 0; i < 30; i++) await a.request("t1", "u1", `burst ${i}`);
    await a.handle(message(), meta);
    assert.equal(started.length, 2, "one run for the burst, one for the request made while it ran");
    const rows = await db.sql`select requested_seq::int, completed_seq::int from contacts_sync.sync_users`;
    assert.deepEqual([rows[0]!.requested_seq, rows[0]!.completed_seq], [31, 31]);
    const recorded = await db.sql`select status from contacts_sync.sync_runs`;
    assert.equal(recorded.length, 2);
  });
});

Deno.test("RunCoordinator: a failed run leaves the request pending for the retry, and a paused run holds the user", async () => {
  let calls = 0;
  const run: RunUser = () => {
    calls++;
    if (calls === 1) return Promise.reject(new Error("Graph down"));
    return Promise.resolve({ status: "paused", reason: "would archive 15 of 20" });
  };
  await withCoordinators(run, async (a, _b, db) => {
    await a.request("t1", "u1", "x");
    await assert.rejects(a.handle(message(), meta), /Graph down/);
    let [u] = await db.sql`select requested_seq::int, completed_seq::int, paused_reason from contacts_sync.sync_users`;
    assert.ok(u!.requested_seq > u!.completed_seq, "still pending after the failure");
    await a.handle(message(), meta);
    [u] = await db.sql`select requested_seq::int, completed_seq::int, paused_reason from contacts_sync.sync_users`;
    assert.equal(u!.paused_reason, "would archive 15 of 20");
    assert.equal(await a.confirm("t1", "u1"), true);
    assert.equal(await a.confirm("t1", "nobody"), false);
  });
});
