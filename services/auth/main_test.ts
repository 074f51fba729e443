import assert from "node:assert/strict";
import { captureLogs, isolatedInfra, TcpProxy, waitFor } from "@app/shared/testing";
import { loadAuthConfig } from "./config.ts";
import { startAuth } from "./main.ts";

async function readyz(url: string): Promise<number> {
  const res = await fetch(`${url}/readyz`);
  await res.body?.cancel();
  return res.status;
}

Deno.test("auth /readyz turns 503 when NATS or Postgres goes away and 200 when it returns (P5)", async () => {
  await using infra = await isolatedInfra("authready");
  const pg = TcpProxy.front(infra.env.DATABASE_URL!, 5432);
  const nats = TcpProxy.front(infra.env.NATS_URL!, 4222);
  const pgProxy = pg.proxy, natsProxy = nats.proxy;
  await captureLogs(async () => {
    const auth = await startAuth(loadAuthConfig({ ...infra.env, DATABASE_URL: pg.url, NATS_URL: nats.url }));
    try {
      assert.equal(await readyz(auth.url), 200);
      await natsProxy.pause();
      await waitFor("503 without NATS", async () => (await readyz(auth.url)) === 503);
      natsProxy.resume();
      await waitFor("200 with NATS back", async () => (await readyz(auth.url)) === 200);
      await pgProxy.pause();
      await waitFor("503 without Postgres", async () => (await readyz(auth.url)) === 503);
      pgProxy.resume();
      await waitFor("200 with Postgres back", async () => (await readyz(auth.url)) === 200, { timeoutMs: 15_000 });
      const health = await fetch(`${auth.url}/healthz`);
      assert.deepEqual(await health.json(), { status: "ok", service: "auth" });
    } finally {
      await auth.stop();
    }
  });
  await pgProxy.stop();
  await natsProxy.stop();
});
