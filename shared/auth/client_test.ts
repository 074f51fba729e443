import assert from "node:assert/strict";
import { z } from "zod";
import { Logger } from "../log/mod.ts";
import { natsCatalog, serveRpc } from "../nats/mod.ts";
import { connectTestNats, testNatsPrefix } from "../testing/mod.ts";
import { AuthClient } from "./client.ts";

/** A real NATS token responder counting the requests; `lifetimeMs` sets each token's expiry. */
async function withAuth(lifetimeMs: number, fn: (auth: AuthClient, asked: () => string[]) => Promise<void>) {
  const nc = await connectTestNats();
  const catalog = natsCatalog(testNatsPrefix("authclient"));
  const asked: string[] = [];
  const sub = serveRpc({
    nc,
    subject: catalog.subjects.auth.rpc.tokenGet,
    queue: "test",
    request: z.object({ tenantId: z.string(), userId: z.string() }),
    logger: new Logger("test"),
    handler: ({ tenantId, userId }) => {
      asked.push(`${tenantId}/${userId}`);
      return Promise.resolve({
        accessToken: `tok-${tenantId}-${userId}-${asked.length}`,
        expiresAt: new Date(Date.now() + lifetimeMs).toISOString(),
        graphBaseUrl: "https://graph.example.test/v1.0",
      });
    },
  });
  try {
    await fn(new AuthClient(nc, catalog), () => [...asked]);
  } finally {
    sub.unsubscribe();
    await nc.drain();
  }
}

Deno.test("userToken() reuses a user's token across sources (runs) and asks auth once per user", async () => {
  await withAuth(3_600_000, async (auth, asked) => {
    const first = await auth.userToken("t1", "u1").getAccessToken();
    const again = await auth.userToken("t1", "u1").getAccessToken();
    assert.equal(await auth.userToken("t1", "u1").graphBaseUrl(), "https://graph.example.test/v1.0");
    assert.equal(again, first);
    const other = await auth.userToken("t1", "u2").getAccessToken();
    const otherTenant = await auth.userToken("t2", "u1").getAccessToken();
    assert.notEqual(other, first);
    assert.notEqual(otherTenant, first);
    assert.deepEqual(asked(), ["t1/u1", "t1/u2", "t2/u1"]);
  });
});

Deno.test("forgetUser() and forgetTenant() make the next run ask auth for a fresh token", async () => {
  await withAuth(3_600_000, async (auth, asked) => {
    const first = await auth.userToken("t1", "u1").getAccessToken();
    await auth.userToken("t1", "u2").getAccessToken();
    await auth.userToken("t2", "u1").getAccessToken();
    auth.forgetUser("t1", "u1");
    assert.notEqual(await auth.userToken("t1", "u1").getAccessToken(), first);
    auth.forgetTenant("t1");
    await auth.userToken("t1", "u2").getAccessToken();
    await auth.userToken("t2", "u1").getAccessToken(); // the other tenant's stays cached
    assert.deepEqual(asked(), ["t1/u1", "t1/u2", "t2/u1", "t1/u1", "t1/u2"]);
  });
});

Deno.test("userToken() asks again for a token within 60 s of its expiry", async () => {
  await withAuth(30_000, async (auth, asked) => {
    const first = await auth.userToken("t1", "u1").getAccessToken();
    const second = await auth.userToken("t1", "u1").getAccessToken();
    assert.notEqual(second, first);
    assert.deepEqual(asked(), ["t1/u1", "t1/u1"]);
  });
});
