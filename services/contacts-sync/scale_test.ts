// Budgets that tests can hold (the timing budgets live in bench/): faults converge, and a run over
// an unchanged folder of 2,000 contacts costs at most 2 Graph requests.
import assert from "node:assert/strict";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

Deno.test("with 10% of Graph requests answered 429 or 503 the sync converges, with no duplicates", async () => {
  await using w = await startContactsWorld({ emulator: { timeScale: 0.01 } });
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 250 }, (_, i) => ({ givenName: `C${i}`, familyName: "Faulty", syncUserIds: [USER] })),
    { emitEvents: false },
  );
  await w.m365.emu.admin.bulkContacts(
    w.upn,
    Array.from({ length: 50 }, (_, i) => ({ givenName: `O${i}`, surname: "Faulty" })),
    w.folderId,
  );
  await w.m365.emu.admin.addFault({ fault: { kind: "status", status: 429, retryAfterSeconds: 0 }, probability: 0.05 });
  await w.m365.emu.admin.addFault({ fault: { kind: "status", status: 503, retryAfterSeconds: 0 }, probability: 0.05 });
  let runs = 0;
  const converged = async () =>
    (await w.outlook()).length === 300 && (await w.crmAdmin.contacts(TENANT)).length === 300;
  while (!(await converged())) {
    assert.ok(++runs <= 15, "converged within 15 runs");
    await w.syncNow();
  }
  const counts = (await w.m365.emu.admin.counts())[w.m365.users[0]!.id]!;
  assert.ok(counts.byStatus["429"]! > 0 && counts.byStatus["503"]! > 0, "faults really happened");
  await w.m365.emu.admin.clearFaults();
  const names = new Set((await w.outlook()).map((o) => o.givenName));
  assert.equal(names.size, 300, "no duplicate in Outlook");
  await w.assertQuiet();
});

Deno.test("a run over an unchanged folder of 2,000 contacts makes at most 2 Graph requests", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 2_000 }, (_, i) => ({ givenName: `N${i}`, familyName: "Quiet", syncUserIds: [USER] })),
    { emitEvents: false },
  );
  await w.syncNow();
  assert.equal((await w.outlook()).length, 2_000);
  await w.syncNow(); // our own writes come back once through delta and change nothing
  await w.m365.emu.admin.resetCounts();
  const run = await w.syncNow();
  const counts = (await w.m365.emu.admin.counts())[w.m365.users[0]!.id];
  assert.ok((counts?.requests ?? 0) <= 2, `Graph requests: ${JSON.stringify(counts?.byEndpoint)}`);
  assert.ok(run.graphRequests <= 2);
  assert.deepEqual(run.summary.done, {});
});
