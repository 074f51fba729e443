import assert from "node:assert/strict";
import { RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";

Deno.test("an injected 503 with Retry-After is retried by the graph-client and then succeeds", async () => {
  await using s = await startSeeded({ config: { timeScale: 0.001 } });
  const { client } = await signedInGraph(s);
  await s.emu.admin.addFault({ fault: { kind: "status", status: 503 }, times: 1 });
  // The RetryHandler drops the 503 response unread; reading it here keeps the leak check quiet.
  const drain = new RetryHandlerOptions(1, 3, (_d, _a, _req, _opts, res) => (void res.body?.cancel(), true));
  assert.deepEqual((await client.api("/me/contacts").middlewareOptions([drain]).get()).value, []);
  const counts = (await s.emu.admin.counts())[s.users[0]!.id]!;
  assert.equal(counts.byStatus["503"], 1);
  assert.equal(counts.byStatus["200"], 1);
});

Deno.test("next-N faults hit only the matching mailbox, method and path", async () => {
  await using s = await startSeeded({ users: ["adele", "bob"] });
  const adele = await signedInGraph(s, "adele@contoso.test");
  const bob = await signedInGraph(s, "bob@contoso.test");
  const noRetry = [new RetryHandlerOptions(0, 0)];
  await s.emu.admin.addFault({
    fault: { kind: "status", status: 504 },
    mailbox: "bob@contoso.test",
    method: "POST",
    path: "^/contacts$",
    times: 2,
  });
  await adele.client.api("/me/contacts").post({ givenName: "unaffected" });
  await bob.client.api("/me/contacts").get();
  for (let i = 0; i < 2; i++) {
    const err = await bob.client.api("/me/contacts").middlewareOptions(noRetry).post({ givenName: "x" }).catch((e) =>
      e
    );
    assert.equal(err.statusCode, 504);
  }
  await bob.client.api("/me/contacts").post({ givenName: "third time" });
  assert.deepEqual((await s.emu.admin.faults()).value, []);
});

Deno.test("a spontaneous 412 is ErrorIrresolvableConflict", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const c = await client.api("/me/contacts").post({ givenName: "x" });
  await s.emu.admin.addFault({ fault: { kind: "status", status: 412 }, method: "PATCH", times: 1 });
  const err = await client.api(`/me/contacts/${c.id}`).patch({ givenName: "y" }).catch((e) => e);
  assert.equal(err.statusCode, 412);
  assert.equal(err.code, "ErrorIrresolvableConflict");
});

Deno.test("a connection reset drops the socket without any response", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await s.emu.admin.addFault({ fault: { kind: "reset" }, times: 1 });
  const err = await client.api("/me/contacts").get().catch((e) => e);
  assert.equal(err.statusCode ?? -1, -1, `expected a network error, got ${err}`);
  assert.match(String(err.message ?? err), /fetch failed|connection|reset|closed/i);
  assert.deepEqual((await client.api("/me/contacts").get()).value, [], "the next request works");
});

Deno.test("probability 0 never fires; unknown routes under /v1.0 answer Graph's segment error", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await s.emu.admin.addFault({ fault: { kind: "status", status: 500 }, probability: 0 });
  assert.deepEqual((await client.api("/me/contacts").get()).value, []);
  const err = await client.api("/me/notAThing").get().catch((e) => e);
  assert.equal(err.statusCode, 400);
  assert.equal(err.message, "Resource not found for the segment 'notAThing'.");
});
