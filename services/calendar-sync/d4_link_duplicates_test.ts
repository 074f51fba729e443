// D4: calendar-sync answers dedupe's `calendar.rpc.links.duplicates` from its links: different CRM
// appointments linked to copies of one meeting (one iCalUId), or to one Outlook event.
import assert from "node:assert/strict";
import postgres from "postgres";
import { LinkDuplicatesReplySchema } from "@app/shared/contract";
import { callRpc } from "@app/shared/nats";
import { startCalendarWorld, TENANT } from "./testdata/world.ts";

Deno.test("D4 calendar links name appointments linked to one meeting or one event; other tenants see none", async () => {
  await using w = await startCalendarWorld({ users: ["anna", "ben"] });
  const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
  try {
    const row = (tenant: string, user: string, crmId: string, graphId: string, ical: string) =>
      sql`insert into calendar_sync.event_links (tenant_id, user_id, id, crm_id, graph_id, ical_uid, state, updated_at)
          values (${tenant}, ${user}, ${`crm:${crmId}`}, ${crmId}, ${graphId}, ${ical}, 'synced', now())`;
    await row(TENANT, "anna", "apt-1", "ev-a", "MEETING-1");
    await row(TENANT, "ben", "apt-2", "ev-b", "MEETING-1");
    await row(TENANT, "ben", "apt-3", "ev-c", "MEETING-3");
    await row("other", "zoe", "apt-9", "ev-z", "MEETING-1");
  } finally {
    await sql.end();
  }
  const reply = await callRpc(
    w.nc,
    w.catalog.subjects.calendar.rpc.linkDuplicates,
    { tenantId: TENANT },
    LinkDuplicatesReplySchema,
  );
  assert.deepEqual(reply.items.map((i) => [i.kind, i.recordIds, i.userIds]), [
    ["same_ical_uid", ["apt-1", "apt-2"], ["anna", "ben"]],
  ]);
  assert.equal(reply.truncated, false);
  const other = await callRpc(
    w.nc,
    w.catalog.subjects.calendar.rpc.linkDuplicates,
    { tenantId: "other" },
    LinkDuplicatesReplySchema,
  );
  assert.deepEqual(other.items, []);
});
