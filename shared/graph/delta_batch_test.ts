import assert from "node:assert/strict";
import { msalFor, signIn, startSeeded } from "@app/m365-emulator/harness";
import { z } from "zod";
import { runBatch } from "./batch.ts";
import { createGraphClient } from "./client.ts";
import { walkDelta } from "./delta.ts";
import { DeltaExpiredError, GraphThrottledError, ItemChangedError } from "./errors.ts";

const Item = z.object({ id: z.string(), givenName: z.string().nullable().optional() }).passthrough();

async function setup(config = {}) {
  const s = await startSeeded({ config });
  const upn = s.users[0]!.userPrincipalName;
  const token = (await signIn(msalFor(s.emu, s.tenantId), upn)).accessToken;
  const requests: string[] = [];
  const client = createGraphClient({
    baseUrl: s.emu.url,
    getAccessToken: () => Promise.resolve(token),
    onResponse: (r) => requests.push(`${r.method} ${r.status}`),
  });
  return { s, upn, client, requests };
}

Deno.test("walkDelta() walks pages to the deltaLink, then reports changes and removals, and a stale cursor as DeltaExpiredError", async () => {
  const { s, upn, client } = await setup();
  await using _ = s;
  await s.emu.admin.bulkContacts(upn, Array.from({ length: 45 }, (_, i) => ({ givenName: `G${i}` })));
  const path = "/me/contacts/delta";
  const first = await walkDelta(client, {
    initialPath: path,
    cursor: undefined,
    parse: (r) => Item.parse(r),
    pageSize: 10,
  });
  assert.equal(first.complete, true);
  assert.equal(first.upserts.length, 45);
  assert.ok(first.requests >= 5, "paged by maxpagesize");

  const victim = first.upserts[0]!.id;
  await client.api(`/me/contacts/${victim}`).delete();
  await client.api(`/me/contacts/${first.upserts[1]!.id}`).patch({ givenName: "Changed" });
  const second = await walkDelta(client, { initialPath: path, cursor: first.cursor, parse: (r) => Item.parse(r) });
  assert.equal(second.complete, false);
  assert.deepEqual(second.removedIds, [victim]);
  assert.deepEqual(second.upserts.map((u) => u.givenName), ["Changed"]);

  const quiet = await walkDelta(client, { initialPath: path, cursor: second.cursor, parse: (r) => Item.parse(r) });
  assert.deepEqual([quiet.upserts.length, quiet.removedIds.length, quiet.requests], [0, 0, 1]);

  await s.emu.admin.expireDeltaTokens();
  await assert.rejects(
    walkDelta(client, { initialPath: path, cursor: quiet.cursor, parse: (r) => Item.parse(r) }),
    DeltaExpiredError,
  );
});

Deno.test("runBatch() sends at most 20 per $batch and hands back throttled items with their Retry-After", async () => {
  const { s, client, requests } = await setup();
  await using _ = s;
  await s.emu.admin.addFault({
    fault: { kind: "status", status: 429, retryAfterSeconds: 1 },
    times: 3,
    method: "POST",
    path: "^/contacts$",
  });
  const items = Array.from({ length: 45 }, (_, i) => ({
    id: `c${i}`,
    method: "POST" as const,
    url: "/me/contacts",
    body: { givenName: `N${i}` },
  }));
  const out = await runBatch(client, items);
  assert.deepEqual(out.map((o) => o.id), items.map((i) => i.id), "one outcome per item, in order");
  const throttled = out.filter((o) => !o.ok);
  assert.equal(throttled.length, 3);
  for (const t of throttled) {
    assert.ok(!t.ok && t.error instanceof GraphThrottledError && t.error.retryAfterMs === 1_000);
  }
  assert.equal(requests.filter((r) => r.startsWith("POST")).length, 3, "three batches of at most 20");
  assert.equal(
    (await s.emu.admin.contacts(s.users[0]!.userPrincipalName)).value.length,
    42,
    "throttled ones not created",
  );
});

Deno.test("runBatch() returns typed per-item errors: 404 and 412", async () => {
  const { s, client } = await setup();
  await using _ = s;
  const created = await client.api("/me/contacts").post({ givenName: "A" });
  await client.api(`/me/contacts/${created.id}`).patch({ givenName: "B" });
  const out = await runBatch(client, [
    {
      id: "1",
      method: "PATCH",
      url: `/me/contacts/${created.id}`,
      body: { givenName: "C" },
      headers: { "If-Match": created["@odata.etag"] },
    },
    { id: "2", method: "DELETE", url: "/me/contacts/nope" },
  ]);
  assert.ok(!out[0]!.ok && out[0]!.error instanceof ItemChangedError);
  assert.equal(out[1]!.status, 404);
});
