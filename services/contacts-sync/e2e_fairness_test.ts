// P8 fairness on the real service: a long first sync runs in chunks and goes behind users who wait,
// so another user's single edit is not queued behind it — even with one run slot — and status shows
// the long run's progress (planned, done, failed) while it runs. Asserted on observed progress.
import assert from "node:assert/strict";
import { waitFor } from "@app/shared/testing";
import { startManyUsersWorld, TENANT } from "./testdata/harness.ts";

const BIG = 1_500;

Deno.test("P8: a long first sync does not hold back another user's single edit, even with one run slot; status shows its progress", async () => {
  // Writes take a while in the emulator, so the first sync spans several chunks of two seconds.
  await using w = await startManyUsersWorld({
    mailboxes: ["big", "small"],
    // The lease beat (a third of the lease) writes progress several times per chunk.
    env: { RUN_SLOTS: "1", RUN_CHUNK_MS: "2000", RUN_LEASE_MS: "1000", RUN_COALESCE_MS: "0" },
  });
  await w.m365.emu.admin.patchConfig({ latency: { writeMs: 20 } });
  const upn = new Map(w.m365.users.map((u) => [u.displayName, u.userPrincipalName]));
  const big = await w.addUser("big", upn.get("big")!);
  const small = await w.addUser("small", upn.get("small")!);
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: BIG }, (_, i) => ({ givenName: `B${i}`, familyName: "Big", syncUserIds: ["big"] })),
    { emitEvents: false },
  );
  const [mine] = (await w.crmAdmin.createContacts(
    TENANT,
    [{ givenName: "Single", familyName: "Edit", syncUserIds: ["small"] }],
    { emitEvents: false },
  )).ids;
  big.context.settings.contacts.enabled = false;
  await w.startReplicas(1);
  await w.api("POST", "/v1/users/small/contacts/sync");
  await w.settle();
  const outlook = async (u: typeof big) => (await w.m365.emu.admin.contacts(u.upn, u.folderId)).value;
  assert.equal((await outlook(small)).length, 1);

  big.context.settings.contacts.enabled = true;
  await w.api("POST", "/v1/users/big/contacts/sync");
  // Status shows the running first sync's progress.
  let last: unknown;
  await waitFor("the first sync's progress in status", async () => {
    const s = (await w.api("GET", "/v1/users/big/contacts/status")).body as {
      runs: { status: string; progress: { planned: number; done: number; failed: number } | null }[];
    };
    last = s.runs.slice(0, 3);
    const p = s.runs[0]?.progress;
    return s.runs[0]?.status === "running" && p !== null && p !== undefined && p.planned > 0;
  }, { timeoutMs: 60_000, intervalMs: 50 }).catch((err) => {
    throw new Error(`${err.message}; last status runs: ${JSON.stringify(last)}`);
  });

  await w.crmAdmin.updateContact(TENANT, mine!, { jobTitle: "Not held back" });
  await waitFor(
    "the single edit in Outlook",
    async () => (await outlook(small))[0]?.jobTitle === "Not held back",
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  const bigSoFar = (await outlook(big)).length;
  assert.ok(bigSoFar < BIG, `the edit arrived while the first sync was still running (${bigSoFar} of ${BIG} written)`);

  await w.settle();
  assert.equal((await outlook(big)).length, BIG, "the first sync completes");
  const runs = await w.sql`select status from contacts_sync.sync_runs where user_id = 'big' order by started_at`;
  assert.ok(runs.filter((r) => r.status === "partial").length >= 1, "the first sync ran in chunks");
});
