import assert from "node:assert/strict";
import type { Client } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";

type Entry = { id: string; "@removed"?: { reason: string }; displayName?: string };

/** Walks a delta round from `url` to its deltaLink, returning every entry and the deltaLink. */
async function walk(
  client: Client,
  url: string,
  pageSize = 10,
): Promise<{ entries: Entry[]; deltaLink: string; pages: number }> {
  const entries: Entry[] = [];
  let pages = 0;
  for (let next: string | undefined = url;;) {
    const page: Record<string, unknown> = await client.api(next).header("Prefer", `odata.maxpagesize=${pageSize}`)
      .get();
    pages++;
    entries.push(...(page.value as Entry[]));
    if (page["@odata.deltaLink"]) return { entries, deltaLink: page["@odata.deltaLink"] as string, pages };
    next = page["@odata.nextLink"] as string;
    assert.ok(next, "a page has either a nextLink or a deltaLink");
  }
}

Deno.test("contacts delta walk: initial round, then changes with @removed for a deleted contact", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const folder = await client.api("/me/contactFolders").post({ displayName: "CRM" });
  const seeded = await s.emu.admin.bulkContacts(
    "adele@contoso.test",
    Array.from({ length: 25 }, (_, i) => ({ givenName: `Contact${i}`, surname: "Seed" })),
    folder.id,
  );
  const initial = await walk(client, `/me/contactFolders/${folder.id}/contacts/delta`);
  assert.equal(initial.pages, 3);
  assert.equal(new Set(initial.entries.map((e) => e.id)).size, 25);
  assert.match(initial.deltaLink, /\/contacts\/delta\?\$deltatoken=/);

  const [first, second] = seeded.value;
  await client.api(`/me/contacts/${first!.id}`).patch({ displayName: "Renamed" });
  await client.api(`/me/contacts/${second!.id}`).delete();
  const added = await client.api(`/me/contactFolders/${folder.id}/contacts`).post({ givenName: "New" });
  const made = await client.api(`/me/contactFolders/${folder.id}/contacts`).post({ givenName: "Gone" });
  await client.api(`/me/contacts/${made.id}`).delete(); // created and deleted between rounds: not reported

  const changes = await walk(client, initial.deltaLink);
  const byId = new Map(changes.entries.map((e) => [e.id, e]));
  assert.equal(changes.entries.length, 3);
  assert.equal(byId.get(first!.id)?.displayName, "Renamed");
  assert.deepEqual(byId.get(second!.id)?.["@removed"], { reason: "deleted" });
  assert.ok(byId.has(added.id));

  const quiet = await walk(client, changes.deltaLink);
  assert.deepEqual(quiet.entries, []);
  assert.equal(quiet.pages, 1);
});

Deno.test("a stale delta token answers 410 SyncStateNotFound; a full resync recovers", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await s.emu.admin.bulkContacts("adele@contoso.test", Array.from({ length: 50 }, (_, i) => ({ givenName: `P${i}` })));
  // Walking 5 pages issues 5 generations; Outlook keeps about three, so the first nextLink dies.
  const firstPage = await client.api("/me/contacts/delta").header("Prefer", "odata.maxpagesize=10").get();
  const staleLink = firstPage["@odata.nextLink"];
  const round = await walk(client, staleLink);
  assert.equal(round.entries.length, 40);
  const err = await client.api(staleLink).get().catch((e) => e);
  assert.equal(err.statusCode, 410);
  assert.equal(err.code, "SyncStateNotFound");
  assert.match(err.message, /^The sync state generation is not found; generation=1;\[highest=5\]\[5\]\[3\]\[4\]\.$/);

  // The admin can also expire every token at once; the deltaLink then fails the same way.
  await s.emu.admin.expireDeltaTokens("adele@contoso.test");
  const expired = await client.api(round.deltaLink).get().catch((e) => e);
  assert.equal(expired.statusCode, 410);
  assert.equal(expired.code, "SyncStateNotFound");

  // Recovery: start over with an initial delta request and reconcile everything.
  const resync = await walk(client, "/me/contacts/delta", 100);
  assert.equal(resync.entries.length, 50);
});

Deno.test("delta keeps $select from the initial request in its tokens", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await s.emu.admin.bulkContacts("adele@contoso.test", [{ givenName: "A", surname: "B", jobTitle: "x" }]);
  const page = await client.api("/me/contacts/delta").select(["surname"]).get();
  assert.deepEqual(Object.keys(page.value[0]).sort(), ["@odata.etag", "id", "surname"]);
  const c = page.value[0];
  await client.api(`/me/contacts/${c.id}`).patch({ jobTitle: "y" });
  const next = await client.api(page["@odata.deltaLink"]).get();
  assert.deepEqual(Object.keys(next.value[0]).sort(), ["@odata.etag", "id", "surname"]);
});

Deno.test("an injected oversize page ignores odata.maxpagesize", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await s.emu.admin.bulkContacts("adele@contoso.test", Array.from({ length: 30 }, (_, i) => ({ givenName: `O${i}` })));
  await s.emu.admin.addFault({ fault: { kind: "oversizePage", pageSize: 25 }, path: "/delta$", times: 1 });
  const page = await client.api("/me/contacts/delta").header("Prefer", "odata.maxpagesize=5").get();
  assert.equal(page.value.length, 25);
  const next = await client.api(page["@odata.nextLink"]).header("Prefer", "odata.maxpagesize=5").get();
  assert.equal(next.value.length, 5);
});

Deno.test("10,000 seeded contacts walk through delta in 1,000-item pages", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const contacts = Array.from({ length: 10_000 }, (_, i) => ({
    givenName: `Given${i}`,
    surname: "Bulk",
    emailAddresses: [{ address: `c${i}@example.test` }],
    singleValueExtendedProperties: [{
      id: "String {66f5a359-4659-4830-9070-00040ec6ac6e} Name CrmId",
      value: `crm-${i}`,
    }],
  }));
  await s.emu.admin.bulkContacts("adele@contoso.test", contacts);
  const round = await walk(client, "/me/contacts/delta", 1000);
  assert.equal(round.pages, 10);
  assert.equal(new Set(round.entries.map((e) => e.id)).size, 10_000);
});
