// Events reach NATS after the change committed, even when NATS was away at the time; without a
// Microsoft app registration the rest of auth works and linking answers 503.
import assert from "node:assert/strict";
import { runTenantCli } from "./cli.ts";
import { loadAuthConfig } from "./config.ts";
import { startAuth } from "./main.ts";
import { jetstreamManager } from "@nats-io/jetstream";
import { natsCatalog } from "@app/shared/nats";
import { captureLogs, connectTestNats, isolatedInfra, TcpProxy, waitFor } from "@app/shared/testing";

Deno.test("a change made while NATS is away answers 200 and its event is published once NATS is back", async () => {
  await using infra = await isolatedInfra("authevents");
  const { proxy, url: proxiedNats } = TcpProxy.front(infra.env.NATS_URL!, 4222);
  const env = { ...infra.env, NATS_URL: proxiedNats };
  const prefix = infra.prefix;
  const nc = await connectTestNats();
  const stream = natsCatalog(prefix).streams.authEvents.name;
  await captureLogs(async () => {
    const { apiKey } = await runTenantCli(["create", "--id", "alpha", "--name", "Alpha", "--enable"], env) as {
      apiKey: string;
    };
    const auth = await startAuth(loadAuthConfig(env));
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${auth.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    try {
      await proxy.pause();
      assert.equal((await call("PUT", "/v1/users/anna/sync-right", { granted: true })).status, 200);
      await runTenantCli(["disable", "--id", "alpha"], env); // the operator's switch (A8): the relay publishes it
      proxy.resume();
      const jsm = await jetstreamManager(nc);
      await waitFor("both events on the stream", async () => (await jsm.streams.info(stream)).state.messages === 2, {
        timeoutMs: 20_000,
      });
      const types = [];
      for (const seq of [1, 2]) {
        types.push((await jsm.streams.getMessage(stream, { seq }))!.json<{ type: string }>().type);
      }
      assert.deepEqual(types, ["auth.right.changed", "auth.tenant.switched"]);

      const link = await call("POST", "/v1/users/anna/link", {});
      assert.equal(link.status, 503);
      assert.equal(link.body.code, "microsoft_not_configured");
    } finally {
      await auth.stop();
    }
  });
  await proxy.stop();
  await nc.drain();
});
