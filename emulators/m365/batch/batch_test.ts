import assert from "node:assert/strict";
import { BatchRequestContent, BatchResponseContent } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";

const post = (base: string, path: string, body: unknown) =>
  new Request(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

Deno.test("$batch runs items one by one; an item over the rate limit is a per-item 429 with Retry-After", async () => {
  await using s = await startSeeded({ config: { limits: { requestsPerWindow: 3, windowMs: 60_000 } } });
  const { client } = await signedInGraph(s);
  // Absolute URLs without the version: the 3.0.7 batch helper would keep `/v1.0` otherwise.
  const batch = new BatchRequestContent(
    Array.from(
      { length: 5 },
      (_, i) => ({ id: String(i + 1), request: post(s.emu.url, "/me/contacts", { givenName: `B${i}` }) }),
    ),
  );
  const raw = await client.api("/$batch").post(await batch.getContent());
  const res = new BatchResponseContent(raw);
  const statuses = [...res.getResponses().entries()].map(([id, r]) => [id, r.status]).sort();
  assert.deepEqual(statuses.map(([, st]) => st).sort(), [201, 201, 201, 429, 429]);
  const throttled = [...res.getResponses().values()].find((r) => r.status === 429)!;
  assert.ok(Number(throttled.headers.get("Retry-After")) >= 1);
  const body = await throttled.json();
  assert.equal(body.error.code, "TooManyRequests");
  const ok = [...res.getResponses().values()].find((r) => r.status === 201)!;
  assert.match((await ok.json()).givenName, /^B\d$/, "Content-Type key lets BatchResponseContent parse the body");
  const counts = (await s.emu.admin.counts())[s.users[0]!.id]!;
  assert.equal(counts.batches, 1);
  assert.equal(counts.operations, 5);
  assert.equal(counts.throttled, 2);
});

Deno.test("$batch with dependsOn runs in order and answers 424 after a failed dependency", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const batch = new BatchRequestContent([
    { id: "1", request: new Request(`${s.emu.url}/me/contacts/nope`) },
    { id: "2", request: post(s.emu.url, "/me/contacts", { givenName: "Never" }), dependsOn: ["1"] },
  ]);
  const res = new BatchResponseContent(await client.api("/$batch").post(await batch.getContent()));
  assert.equal(res.getResponseById("1").status, 404);
  assert.equal(res.getResponseById("2").status, 424);
  assert.equal((await client.api("/me/contacts").get()).value.length, 0);
});

Deno.test("$batch item urls keep no version: '/v1.0/...' is a 400 for that item; over 20 items is a 400", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const raw = await client.api("/$batch").post({
    requests: [{ id: "1", method: "GET", url: "/v1.0/me/contacts" }, { id: "2", method: "GET", url: "/me/contacts" }],
  });
  const [first, second] = raw.responses;
  assert.equal(first.status, 400);
  assert.equal(first.body.error.message, "Resource not found for the segment 'v1.0'.");
  assert.equal(second.status, 200);
  assert.equal(second.headers["Content-Type"].split(";")[0], "application/json");
  const tooMany = await client.api("/$batch").post({
    requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me/contacts" })),
  }).catch((e) => e);
  assert.equal(tooMany.statusCode, 400);
});
