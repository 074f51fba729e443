// Triggers and coordination (P3, P6, P7): Graph notifications start runs, replicas never run one
// user at once, and a side that suddenly looks empty is refused, never a mass delete.
import assert from "node:assert/strict";
import postgres from "postgres";
import { freePort, waitFor } from "@app/shared/testing";
import { writeWithNotificationsInBothOrders } from "@app/shared/testing/sync-world";
import { startContactsWorld, TENANT, USER } from "./testdata/harness.ts";

Deno.test("P3: with a public URL a Graph change notification starts a run without any other trigger", async () => {
  const port = freePort();
  await using w = await startContactsWorld({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  await w.crmAdmin.createContact(TENANT, { givenName: "First", familyName: "Sync", syncUserIds: [USER] });
  await w.syncNow();
  const subs = (await w.m365.emu.admin.subscriptions()).value;
  assert.equal(subs.length, 1, "a subscription on the user's folder");
  assert.match(subs[0]!.resource, new RegExp(w.folderId));
  await w.outlookClient().api(`/me/contactFolders/${w.folderId}/contacts`).post({
    givenName: "Via",
    surname: "Notification",
  });
  await waitFor(
    "the contact in the CRM",
    async () => (await w.crmAdmin.contacts(TENANT)).some((c) => c.familyName === "Notification"),
    { timeoutMs: 20_000 },
  );
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs;
  assert.ok(runs.some((r: { reasons: string[] }) => r.reasons.includes("notification")), JSON.stringify(runs));
  await w.assertQuiet();
});

Deno.test("P3, P8: an Outlook edit reaches the CRM through a notification with no poll; lifecycle events renew and recreate the subscription", async () => {
  const port = freePort();
  // The harness sets every poll and the reconciliation an hour or more away: only notifications trigger.
  await using w = await startContactsWorld({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  const c = await w.crmAdmin.createContact(TENANT, { givenName: "Edit", familyName: "Me", syncUserIds: [USER] });
  await w.syncNow();
  const [o] = await w.outlook();
  const runsBefore = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs.length;
  await w.outlookClient().api(`/me/contactFolders/${w.folderId}/contacts/${o!.id}`).patch({ jobTitle: "Via Outlook" });
  await waitFor(
    "the Outlook edit in the CRM",
    async () => (await w.crmAdmin.contact(TENANT, c.id)).jobTitle === "Via Outlook",
    { timeoutMs: 20_000 },
  );
  await w.settle();
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs as { reasons: string[] }[];
  const since = runs.slice(0, runs.length - runsBefore);
  assert.ok(since.length >= 1 && since.every((r) => !r.reasons.includes("poll")), JSON.stringify(since));
  assert.ok(since.some((r) => r.reasons.includes("notification")), JSON.stringify(since));

  // reauthorizationRequired: the subscription is renewed (its expiry moves on) by the run it asks for.
  const [sub] = (await w.m365.emu.admin.subscriptions()).value;
  await w.m365.emu.admin.lifecycle(sub!.id, "reauthorizationRequired");
  await waitFor("the subscription renewed", async () => {
    const [now] = (await w.m365.emu.admin.subscriptions()).value;
    return now !== undefined && now.id === sub!.id && now.expiresAt > sub!.expiresAt;
  }, { timeoutMs: 20_000 });
  // subscriptionRemoved: a new subscription is made, and notifications flow through it again.
  await w.m365.emu.admin.lifecycle(sub!.id, "subscriptionRemoved");
  await w.settle();
  await waitFor("a new subscription", async () => {
    const subs = (await w.m365.emu.admin.subscriptions()).value;
    return subs.some((s) => s.id !== sub!.id);
  }, { timeoutMs: 20_000 });
  await w.outlookClient().api(`/me/contactFolders/${w.folderId}/contacts/${o!.id}`).patch({ jobTitle: "Again" });
  await waitFor(
    "the second edit in the CRM",
    async () => (await w.crmAdmin.contact(TENANT, c.id)).jobTitle === "Again",
    { timeoutMs: 20_000 },
  );
  await w.assertQuiet();
});

Deno.test("P3, P8: the notification of our own Outlook write starts no run, whether it comes while the run still writes or later", async () => {
  const port = freePort();
  await using w = await startContactsWorld({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  const c = await w.crmAdmin.createContact(TENANT, { givenName: "Echo", familyName: "Check", syncUserIds: [USER] });
  await w.syncNow();
  const runsBefore = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs.length;
  const edit = (jobTitle: string) => async () => {
    await w.crmAdmin.updateContact(TENANT, c.id, { jobTitle });
    await waitFor(`"${jobTitle}" in Outlook`, async () => (await w.outlook())[0]?.jobTitle === jobTitle, {
      timeoutMs: 20_000,
    });
  };
  const delivered = await writeWithNotificationsInBothOrders(
    w.m365,
    () => w.settle(),
    edit("Edited in the CRM"),
    edit("Edited again"),
  );

  assert.ok(delivered >= 2, "Graph delivered the notifications of both writes");
  const runs = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs as { reasons: string[] }[];
  const since = runs.slice(0, runs.length - runsBefore);
  assert.deepEqual(
    since.map((r) => r.reasons),
    [["crm.contact.updated"], ["crm.contact.updated"]],
    "one run per CRM event, none for the notifications",
  );
});

Deno.test("P7: two replicas never run one user at the same time, and many triggers make few runs", async () => {
  await using w = await startContactsWorld();
  await using second = await w.startReplica();
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 300 }, (_, i) => ({ givenName: `R${i}`, familyName: "Replica", syncUserIds: [USER] })),
  );
  for (let i = 0; i < 20; i++) await w.api("POST", `/v1/users/${USER}/contacts/sync`);
  await w.settle();
  const sql = postgres(w.db.url, { max: 1, onnotice: () => {} });
  try {
    const runs = await sql`select started_at, finished_at from contacts_sync.sync_runs order by started_at`;
    for (let i = 1; i < runs.length; i++) {
      assert.ok(runs[i]!.started_at >= runs[i - 1]!.finished_at, `runs ${i - 1} and ${i} overlap`);
    }
    assert.ok(runs.length <= 8, `${runs.length} runs for 300 events and 20 requests`);
  } finally {
    await sql.end();
  }
  assert.equal((await w.outlook()).length, 300);
  void second;
});

Deno.test("P6: a CRM that suddenly lists none of the user's contacts is refused, never a mass delete", async () => {
  await using w = await startContactsWorld();
  const { ids } = await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 12 }, (_, i) => ({ givenName: `E${i}`, familyName: "Empty", syncUserIds: [USER] })),
  );
  await w.syncNow();
  await w.whileStopped(async () => {
    for (const id of ids) await w.crmAdmin.setSyncFlag(TENANT, id, USER, false);
  });
  await w.settle();
  const status = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body;
  assert.equal(status.runs[0].summary.status, "refused");
  assert.match(status.paused.reason, /empty|no contacts|none/i);
  assert.equal((await w.outlook()).length, 12, "Outlook untouched");
  assert.equal((await w.api("POST", `/v1/users/${USER}/contacts/confirm`)).status, 202);
  await w.settle();
  assert.equal((await w.outlook()).length, 0, "confirmed: the user really cleared every flag");
  await w.assertQuiet();
});

Deno.test("fail closed: a malformed CRM batch get or a failing Outlook read fails the run, deletes nothing, and the next run recovers", async () => {
  await using w = await startContactsWorld();
  await w.crmAdmin.createContacts(
    TENANT,
    Array.from({ length: 5 }, (_, i) => ({ givenName: `F${i}`, familyName: "Closed", syncUserIds: [USER] })),
  );
  const ids = (await w.crmAdmin.contacts(TENANT)).map((c) => c.id);
  await w.syncNow();
  const before = { graph: await w.graphWrites(), crm: await w.crmWrites() };

  // An incremental run fetches the records the CRM's events named in one batch get (P8).
  await w.whileStopped(async () => {
    await w.crmAdmin.updateContact(TENANT, ids[0]!, { jobTitle: "Notaio" });
    await w.crmAdmin.injectFault({ rpc: "contactsGetMany", mode: "malformed", count: 1 });
  });
  await w.settle();
  const crmBroken = (await w.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs[0];
  assert.equal(crmBroken.status, "failed");
  assert.match(crmBroken.error ?? "", /malformed|not JSON/i);

  await w.m365.emu.admin.addFault({ fault: { kind: "status", status: 500 }, times: 1, path: "/delta$" });
  const graphBroken = await w.syncNow();
  assert.equal(graphBroken.status, "failed");

  assert.deepEqual(
    { graph: await w.graphWrites(), crm: await w.crmWrites() },
    before,
    "nothing written while a side answered nonsense",
  );
  assert.equal((await w.outlook()).length, 5);
  assert.equal((await w.syncNow()).status, "completed");
  assert.equal((await w.outlook()).filter((c) => c.jobTitle === "Notaio").length, 1, "the failed runs' change kept");
  await w.assertQuiet();
});
