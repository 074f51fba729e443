// Crash safety (E4, A9): calendar-sync killed (SIGKILL) at points chosen by observed progress during
// a first sync of 2,000 appointments over three agents, restarted, several times, ends with exactly
// one copy per (appointment, member) and no duplicate in the CRM.
import assert from "node:assert/strict";
import postgres from "postgres";
import { waitFor } from "@app/shared/testing";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at, graphAt } from "./testdata/times.ts";

const USERS = ["anna", "ben", "carl"];
const SINGLE = 1_500; // 500 per agent
const GROUP = 200; // in all three calendars
const OUTLOOK_ONLY = 100; // per agent

function seeded(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const slot = (i: number) => ({ days: 1 + (i % 300), hour: String(7 + (i % 12)).padStart(2, "0") });

Deno.test({
  name:
    "calendar-sync killed during a 2,000-appointment first sync: one copy per (appointment, member), no CRM duplicate",
  fn: async () => {
    await using w = await startCalendarWorld({ users: USERS });
    await w.stopService();
    const team = await w.crmAdmin.createGroup(TENANT, { name: "All", memberIds: USERS });
    for (let i = 0; i < SINGLE + GROUP; i++) {
      const { days, hour } = slot(i);
      const owner = USERS[i % USERS.length]!;
      await w.crmAdmin.createAppointment(TENANT, {
        subject: i < SINGLE ? `Crm ${i}` : `Group ${i}`,
        start: at(days, `${hour}:00`),
        end: at(days, `${hour}:30`),
        organizerId: owner,
        participantIds: [owner],
        ...(i >= SINGLE ? { groupIds: [team.id] } : {}),
      });
    }
    for (const u of USERS) {
      await w.calendar.seedEvents(
        w.agent(u).upn,
        Array.from({ length: OUTLOOK_ONLY }, (_, i) => ({
          subject: `Outlook ${u} ${i}`,
          start: graphAt(1 + (i % 200), "19:00"),
          end: graphAt(1 + (i % 200), "19:30"),
        })),
        { calendarId: w.agent(u).calendarId },
      );
    }
    await w.m365.emu.admin.addFault({ fault: { kind: "delay", delayMs: 20 } });

    // Kill on observed progress, never on the clock: each kill waits for a random number of writes.
    const random = seeded(Number(Deno.env.get("CRASH_SEED") ?? 20261129));
    const written = async () => (await w.graphWrites()) + (await w.crmWrites());
    const progress: number[] = [];
    for (let kill = 0; kill < 4; kill++) {
      // Short chunks: a kill may also land in a chunk that goes on from an earlier chunk's plan (P8).
      const child = w.spawnService({ RUN_CHUNK_MS: "1000" });
      const target = (await written()) + 60 + Math.floor(random() * 500);
      await waitFor(`${target} writes before kill ${kill + 1}`, async () => (await written()) >= target, {
        timeoutMs: 240_000,
        intervalMs: 25,
      });
      child.kill("SIGKILL");
      await child.status;
      progress.push(await written());
    }
    await w.m365.emu.admin.clearFaults();
    await w.startService();
    await w.syncAll();
    await w.syncAll();

    const expected = SINGLE + GROUP * USERS.length + OUTLOOK_ONLY * USERS.length;
    assert.ok(progress.at(-1)! < expected, `the kills fell inside the first sync (writes at kills: ${progress})`);
    for (const [n, u] of USERS.entries()) {
      const subjects = (await w.outlook(u)).map((e) => String(e.subject));
      const mine = SINGLE / USERS.length + GROUP + OUTLOOK_ONLY;
      assert.equal(subjects.length, mine, `${u}: every appointment once (agent ${n})`);
      assert.equal(new Set(subjects).size, mine, `${u}: no duplicate copy`);
    }
    const crm = await w.crmAdmin.appointments(TENANT);
    assert.equal(crm.length, SINGLE + GROUP + OUTLOOK_ONLY * USERS.length, "no CRM duplicate");
    assert.equal(new Set(crm.map((a) => a.subject)).size, crm.length);
    const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`select count(*)::int as copies,
        count(distinct (user_id, crm_id))::int as distinct_copies,
        count(*) filter (where state = 'synced' and intent is null)::int as synced
        from calendar_sync.event_links`;
      assert.deepEqual(row, { copies: expected, distinct_copies: expected, synced: expected });
    } finally {
      await sql.end();
    }
    await w.assertQuiet();
  },
});
