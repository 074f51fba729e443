import assert from "node:assert/strict";
import { type GraphError, RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";

const noRetry = [new RetryHandlerOptions(0, 0)];

Deno.test("a fifth concurrent request on one mailbox is refused with ApplicationThrottled", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await client.api("/me/contacts").get(); // warm MSAL's cache so the five start together
  await s.emu.admin.addFault({ fault: { kind: "delay", delayMs: 300 }, path: "^/contacts$", method: "GET" });
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, () => client.api("/me/contacts").middlewareOptions(noRetry).get()),
  );
  const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 4);
  assert.equal(refused.length, 1);
  const err = refused[0] as GraphError;
  assert.equal(err.statusCode, 429);
  assert.equal(err.code, "ApplicationThrottled");
  assert.equal(err.message, "Application is over its MailboxConcurrency limit.");
  assert.ok(Number(err.headers?.get("Retry-After")) >= 1);
});

Deno.test("the request window answers TooManyRequests with an honest whole-second Retry-After, then admits again", async () => {
  await using s = await startSeeded({ config: { limits: { requestsPerWindow: 3, windowMs: 400 } } });
  const { client } = await signedInGraph(s);
  for (let i = 0; i < 3; i++) await client.api("/me/contacts").get();
  const err = await client.api("/me/contacts").middlewareOptions(noRetry).get().catch((e) => e) as GraphError;
  assert.equal(err.statusCode, 429);
  assert.equal(err.code, "TooManyRequests");
  assert.equal(err.headers?.get("Retry-After"), "1", "whole seconds, rounded up");
  assert.equal(err.headers?.get("x-ms-emulator-retry-after-ms"), null, "no private headers");
  // Waiting out Retry-After is what a client must do; it is an upper bound, so this cannot flake.
  await new Promise((r) => setTimeout(r, Number(err.headers?.get("Retry-After")) * 1000));
  assert.deepEqual((await client.api("/me/contacts").middlewareOptions(noRetry).get()).value, []);
});

Deno.test("limits are per app + mailbox: another mailbox is unaffected", async () => {
  await using s = await startSeeded({ users: ["adele", "bob"], config: { limits: { requestsPerWindow: 2 } } });
  const adele = await signedInGraph(s, "adele@contoso.test");
  const bob = await signedInGraph(s, "bob@contoso.test");
  await adele.client.api("/me/contacts").get();
  await adele.client.api("/me/contacts").get();
  const refused = await adele.client.api("/me/contacts").middlewareOptions(noRetry).get().catch((e) => e);
  assert.equal(refused.statusCode, 429);
  assert.deepEqual((await bob.client.api("/me/contacts").get()).value, []);
});

Deno.test("429 bodies carry throttling.md's innerError members", async () => {
  await using s = await startSeeded({ config: { limits: { requestsPerWindow: 1 } } });
  const { client } = await signedInGraph(s);
  await client.api("/me/contacts").get();
  const err = await client.api("/me/contacts").middlewareOptions(noRetry).get().catch((e) => e) as GraphError;
  const body = JSON.parse(err.body as string) as { code: string; innerError: Record<string, string> };
  assert.equal(body.code, "TooManyRequests");
  assert.deepEqual(
    { code: body.innerError.code, message: body.innerError.message, status: body.innerError.status },
    { code: "429", message: "Please retry after", status: "429" },
  );
  assert.match(body.innerError.date!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  assert.ok(body.innerError["request-id"]);
});

Deno.test("latency holds the concurrency slot: five GETs of 200 ms each take two rounds", async () => {
  await using s = await startSeeded({ config: { latency: { readMs: 200, writeMs: 400 } } });
  const { client } = await signedInGraph(s);
  await client.api("/me/contacts").get(); // warm MSAL's cache
  await s.emu.admin.resetCounts();
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, () => client.api("/me/contacts").middlewareOptions(noRetry).get()),
  );
  assert.equal(results.filter((r) => r.status === "rejected").length, 1, "the 5th found four in service");
  const counts = (await s.emu.admin.counts())[s.users[0]!.id]!;
  assert.equal(counts.peakConcurrency, 5);
});
