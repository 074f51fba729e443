import assert from "node:assert/strict";
import {
  captureLogs,
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  TcpProxy,
  testInfra,
  testNatsPrefix,
  waitFor,
} from "@app/shared/testing";
import { loadAuthConfig } from "./config.ts";
import { startAuth } from "./main.ts";

async function readyz(url: string): Promise<number> {
  const res = await fetch(`${url}/readyz`);
  await res.body?.cancel();
  return res.status;
}

Deno.test("auth /readyz turns 503 when NATS or Postgres goes away and 200 when it returns (P5)", async () => {
  const infra = testInfra();
  const db = await createTestDatabase("authready");
  const pgUrl = new URL(db.url);
  const natsUrl = new URL(infra.natsUrl.replace(/^nats:/, "http:"));
  const pgProxy = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
  const natsProxy = new TcpProxy(natsUrl.hostname, Number(natsUrl.port || 4222));
  pgProxy.start();
  natsProxy.start();
  const proxiedDb = new URL(db.url);
  proxiedDb.hostname = "127.0.0.1";
  proxiedDb.port = String(pgProxy.port);
  const prefix = testNatsPrefix("authready");
  await captureLogs(async () => {
    const auth = await startAuth(loadAuthConfig({
      DATABASE_URL: proxiedDb.toString(),
      NATS_URL: `nats://127.0.0.1:${natsProxy.port}`,
      NATS_PREFIX: prefix,
      PORT: "0",
    }));
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
  const nc = await connectTestNats();
  await deleteTestStreams(nc, prefix);
  await nc.drain();
  await db.drop();
});
