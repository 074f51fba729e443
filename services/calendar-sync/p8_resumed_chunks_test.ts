// P8 on the real service: a first sync too long for one chunk goes on chunk after chunk from the
// plan its first chunk made — Outlook and the CRM are read once, not once per chunk — and what
// changed in Outlook meanwhile follows in the next run, from the cursor read when the plan was made
// (P9: nothing is lost). Asserted on observed progress and on the emulator's request counts.
import assert from "node:assert/strict";
import postgres from "postgres";
import { waitFor } from "@app/shared/testing";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";
import { at, graphAt } from "./testdata/times.ts";

const N = 300;

Deno.test("P8: a first sync in chunks reads both sides once and goes on from its plan; Outlook edits made meanwhile follow in the next run", async () => {
  await using w = await startCalendarWorld({ env: { RUN_CHUNK_MS: "1000", RUN_COALESCE_MS: "0" } });
  const ctx = w.contexts.get("anna")!;
  // Seeded with the user's calendar sync off: the CRM's events find nobody to run.
  ctx.settings.calendar.enabled = false;
  for (let i = 0; i < N; i++) {
    await w.crmAdmin.createAppointment(TENANT, {
      subject: `Viewing ${i}`,
      start: at(1 + (i % 200), `${String(7 + (i % 12)).padStart(2, "0")}:00`),
      end: at(1 + (i % 200), `${String(7 + (i % 12)).padStart(2, "0")}:30`),
      organizerId: "anna",
      participantIds: ["anna"],
    });
  }
  await w.settle();
  ctx.settings.calendar.enabled = true;
  const mailbox = w.m365.users.find((u) => u.userPrincipalName === w.agent("anna").upn)!.id;
  await w.m365.emu.admin.resetCounts();
  await w.crmAdmin.clearRequests();
  // Every Graph request takes a while, so the 15 write batches span several one-second chunks.
  await w.m365.emu.admin.addFault({ fault: { kind: "delay", delayMs: 200 } });

  const r = await w.api("POST", "/v1/users/anna/calendar/sync");
  assert.equal(r.status, 202);
  // Once the first chunk has stopped, the agent works in Outlook; no notification tells the service.
  await waitFor("the first chunk to stop early", async () => {
    const runs = (await w.status("anna")).runs as { status: string }[];
    return runs.some((x) => x.status === "partial");
  }, { timeoutMs: 120_000, intervalMs: 25 });
  const calendar = w.agent("anna").calendarId;
  // The service holds the mailbox's 4 concurrent requests: like Outlook, the agent's client retries a 429.
  const asAgent = (what: string, method: string, path: string, body: unknown) =>
    waitFor(what, async () => {
      const res = await fetch(`${w.m365.emu.url}/v1.0${path}`, {
        method,
        headers: { authorization: `Bearer ${await w.agent("anna").token()}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 429) return false;
      if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
      return true;
    }, { timeoutMs: 60_000, intervalMs: 20 });
  await asAgent("the agent's new event", "POST", `/me/calendars/${calendar}/events`, {
    subject: "Added in Outlook during the first sync",
    start: graphAt(5, "20:00"),
    end: graphAt(5, "20:30"),
  });
  const written = (await w.outlook("anna")).find((e) => String(e.subject).startsWith("Viewing "))!;
  await asAgent("the agent's rename", "PATCH", `/me/events/${written.id}`, {
    subject: "Renamed in Outlook during the first sync",
  });
  await w.settle(300_000);
  await w.m365.emu.admin.clearFaults();

  // Status lists the last 10 runs; the run table has them all.
  const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
  const runs = await sql<{ status: string; mode: string; graph_requests: number }[]>`
    select status, mode, graph_requests from calendar_sync.sync_runs where user_id = 'anna' order by started_at`;
  await sql.end();
  const counts = (await w.m365.emu.admin.counts())[mailbox]!;
  const deltaReads = Object.entries(counts.byEndpoint).filter(([k]) => k.startsWith("GET ") && k.includes("delta"))
    .reduce((n, [, v]) => n + v, 0);
  const chunks = runs.filter((x) => x.status === "partial" || x.status === "completed");
  const fresh = chunks.filter((x) => x.mode !== "resumed");
  const detail = `runs ${JSON.stringify(runs.map((x) => [x.status, x.mode, x.graph_requests]))}, endpoints ${
    JSON.stringify(counts.byEndpoint)
  }`;
  assert.ok(chunks.length >= 3, `the first sync ran in several chunks: ${detail}`);
  assert.equal(fresh.length, 1, `only the first chunk read both sides: ${detail}`);
  assert.equal(deltaReads, 1, `one delta round for the whole first sync: ${detail}`);
  const crmLists = (await w.crmAdmin.requests({ tenantId: TENANT, rpc: "appointmentsList" })).length;
  assert.equal(crmLists, 1, "the CRM's appointments were listed once");

  const subjects = (await w.outlook("anna")).map((e) => String(e.subject));
  assert.equal(subjects.length, N + 1, "every appointment once, and the agent's own event");
  assert.equal(new Set(subjects).size, N + 1, "no duplicate");

  // The next run starts from the cursor read when the plan was made: the agent's edits reach the CRM.
  await w.syncNow("anna");
  const crm = await w.crmAdmin.appointments(TENANT);
  assert.equal(crm.filter((a) => a.subject === "Added in Outlook during the first sync").length, 1);
  assert.equal(crm.filter((a) => a.subject === "Renamed in Outlook during the first sync").length, 1);
  assert.equal(crm.length, N + 1, "no CRM duplicate");
  assert.equal((await w.outlook("anna")).length, N + 1);
  await w.assertQuiet();
});
