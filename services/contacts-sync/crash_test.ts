// Crash safety: contacts-sync killed (SIGKILL) at random points during a first sync of 2,000
// contacts, restarted, several times, ends with exactly 2,000 pairs and no duplicate anywhere.
import assert from "node:assert/strict";
import postgres from "postgres";
import { waitFor } from "@app/shared/testing";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

const CRM_ONLY = 1_700;
const OUTLOOK_ONLY = 300;

function seeded(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

Deno.test({
  name:
    "contacts-sync killed at random points during a 2,000-contact first sync converges to 2,000 pairs, no duplicates",
  fn: async () => {
    await using w = await startContactsWorld();
    await w.stopService();
    await w.crmAdmin.createContacts(
      TENANT,
      Array.from({ length: CRM_ONLY }, (_, i) => ({
        givenName: `Crm${i}`,
        familyName: "Kunde",
        emails: [{ address: `crm${i}@kunden.example`, kind: "work" as const }],
        syncUserIds: [USER],
      })),
    );
    await w.m365.emu.admin.bulkContacts(
      w.upn,
      Array.from({ length: OUTLOOK_ONLY }, (_, i) => ({ givenName: `Out${i}`, surname: "Lead" })),
      w.folderId,
    );
    // Slow every Graph answer a little so that kills land in the middle of the work.
    await w.m365.emu.admin.addFault({ fault: { kind: "delay", delayMs: 25 } });

    // Kill on observed progress, never on the clock: each kill waits until the service has made a
    // random number of further writes (CRM creates and Outlook writes), however busy the machine is.
    const random = seeded(Number(Deno.env.get("CRASH_SEED") ?? 20261125));
    const written = async () => (await w.graphWrites()) + (await w.crmWrites());
    const progress: number[] = [];
    for (let kill = 0; kill < 4; kill++) {
      // Short chunks: a kill may also land in a chunk that goes on from an earlier chunk's plan (P8).
      const child = w.spawnService({ RUN_CHUNK_MS: "1000" });
      const target = (await written()) + 40 + Math.floor(random() * 360);
      await waitFor(`the service to make ${target} writes before kill ${kill + 1}`, async () => {
        return (await written()) >= target;
      }, { timeoutMs: 180_000, intervalMs: 25 });
      child.kill("SIGKILL");
      await child.status;
      progress.push((await w.outlook()).length);
    }
    await w.m365.emu.admin.clearFaults();
    await w.startService();
    await w.syncNow();

    assert.ok(
      progress.some((n) => n > OUTLOOK_ONLY && n < CRM_ONLY + OUTLOOK_ONLY),
      `at least one kill fell in the middle of the first sync (Outlook sizes at the kills: ${progress})`,
    );
    const outlook = await w.outlook();
    const crm = (await w.crmAdmin.contacts(TENANT)).filter((c) => !c.archived);
    const names = (xs: string[]) => new Set(xs).size;
    assert.equal(outlook.length, CRM_ONLY + OUTLOOK_ONLY, "Outlook holds every contact once");
    assert.equal(names(outlook.map((o) => `${o.givenName} ${o.surname}`)), CRM_ONLY + OUTLOOK_ONLY);
    assert.equal(crm.length, CRM_ONLY + OUTLOOK_ONLY, "the CRM holds every contact once");
    assert.equal(names(crm.map((c) => `${c.givenName} ${c.familyName}`)), CRM_ONLY + OUTLOOK_ONLY);
    const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`select count(*)::int as pairs,
        count(*) filter (where state = 'synced' and crm_id is not null and graph_id is not null)::int as synced
        from contacts_sync.contact_links`;
      assert.deepEqual(row, { pairs: 2_000, synced: 2_000 });
    } finally {
      await sql.end();
    }
    await w.assertQuiet();
  },
});
