// Every service survives a restart of Postgres and of NATS: /readyz answers 503 while one is down,
// 200 once it is back, and the work goes on (P5, issue 12). Postgres and NATS are private
// instances of this test; the shared ones are never touched.
import assert from "node:assert/strict";
import { startAuth } from "@app/auth";
import { runTenantCli } from "@app/auth/cli";
import { loadAuthConfig } from "@app/auth/config";
import { startCalendarSync } from "@app/calendar-sync";
import { loadCalendarSyncConfig } from "@app/calendar-sync/config";
import { startContactsSync } from "@app/contacts-sync";
import { loadContactsSyncConfig } from "@app/contacts-sync/config";
import { startDedupe } from "@app/dedupe";
import { loadDedupeConfig } from "@app/dedupe/config";
import type { RunningService } from "@app/shared/runtime";
import { captureLogs, startPrivateNats, startPrivatePostgres, waitFor } from "@app/shared/testing";

async function readiness(url: string): Promise<{ status: number; checks: Record<string, boolean> }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, checks: (await res.json()).checks };
}

async function call(url: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => res.body?.cancel().catch(() => undefined)) };
}

Deno.test({
  name: "every service survives a Postgres restart and a NATS restart: 503 on /readyz meanwhile, then carries on",
  fn: async (t) => {
    await using pg = await startPrivatePostgres();
    await using nats = await startPrivateNats();
    const env = {
      DATABASE_URL: pg.url.replace(/\/postgres$/, "/crmsync"),
      NATS_URL: nats.url,
      PORT: "0",
      LOG_LEVEL: "error",
    };
    const cli = (...args: string[]) => runTenantCli(args, env) as Promise<{ apiKey: string }>;
    let { apiKey } = await cli("create", "--id", "acme", "--name", "Acme", "--enable");
    const services: Record<string, RunningService> = {};
    await captureLogs(async () => {
      try {
        services.auth = await startAuth(loadAuthConfig(env));
        services["contacts-sync"] = await startContactsSync(loadContactsSyncConfig(env));
        services["calendar-sync"] = await startCalendarSync(loadCalendarSyncConfig(env));
        services.dedupe = await startDedupe(loadDedupeConfig(env));
        const all = Object.entries(services);
        const allReady = (want: number, dependency: string) =>
          waitFor(`every service's /readyz at ${want} (${dependency})`, async () => {
            for (const [, s] of all) {
              const r = await readiness(s.url);
              if (r.status !== want || r.checks[dependency] !== (want === 200)) return false;
            }
            return true;
          }, { timeoutMs: 30_000 });

        // The whole chain works: auth's API and outbox, contacts-sync's consumers and run, API keys
        // verified over NATS by the other services (a fresh key each time: no cached answer helps).
        let round = 0;
        const carriesOn = async () => {
          round++;
          const userId = `user${round}`;
          const granted = await call(services.auth!.url, apiKey, "PUT", `/v1/users/${userId}/sync-right`, {
            granted: true,
          });
          assert.equal(granted.status, 200, JSON.stringify(granted.body));
          await waitFor(`contacts-sync ran ${userId} after auth's event`, async () => {
            const s = await call(services["contacts-sync"]!.url, apiKey, "GET", `/v1/users/${userId}/contacts/status`);
            return s.status === 200 && s.body.lastRunAt !== null;
          }, { timeoutMs: 30_000 });
          ({ apiKey } = await cli("rotate-key", "--id", "acme"));
          for (const name of ["calendar-sync", "dedupe"]) {
            const answer = await call(services[name]!.url, apiKey, "GET", "/v1/no-such-route");
            assert.equal(answer.status, 404, `${name} verified a new key through auth`);
          }
        };

        // Traffic while a dependency goes away, so transactions, outbox writes, run requests and the
        // runs' reserved sessions are in flight when it does (what killed contacts-sync).
        const underLoad = async (fn: () => Promise<void>) => {
          let stop = false;
          const load = Array.from({ length: 4 }, async (_, i) => {
            for (let n = 0; !stop; n++) {
              const answer = await (i % 2 === 0
                ? call(services.auth!.url, apiKey, "PUT", `/v1/users/load${i}/sync-right`, { granted: n % 2 === 0 })
                : call(services["contacts-sync"]!.url, apiKey, "POST", `/v1/users/load${i}/contacts/sync`))
                .catch(() =>
                  undefined
                );
              if (!answer || answer.status >= 500) await new Promise((r) => setTimeout(r, 20)); // down: try again
            }
          });
          try {
            await fn();
          } finally {
            stop = true;
            await Promise.all(load);
          }
        };

        const metricsOf = async (name: string) => {
          const res = await fetch(`${services[name]!.url}/metrics`);
          return { status: res.status, text: await res.text() };
        };

        await t.step("all ready, and the chain works", async () => {
          await allReady(200, "postgres");
          await carriesOn();
          for (const [name, s] of all) {
            const huge = await fetch(`${s.url}/v1/users/u1/anything`, {
              method: "POST",
              headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
              body: JSON.stringify({ junk: "x".repeat(2 * 1024 * 1024) }),
            });
            assert.equal(huge.status, 413, `${name} limits request bodies`);
            assert.equal((await huge.json()).code, "body_too_large");
          }
          const { text } = await metricsOf("contacts-sync");
          assert.match(text, /^nats_consumer_pending_messages\{consumer="contacts-sync-crm"[^}]*\} \d+$/m);
          assert.match(text, /^nats_dead_letters\{consumer="contacts-sync-auth"[^}]*\} 0$/m);
        });

        await t.step("Postgres restarts: 503 while it is down, then every service carries on", async () => {
          await pg.stop();
          await allReady(503, "postgres");
          for (const [name, s] of all) {
            const alive = await fetch(`${s.url}/healthz`);
            await alive.body?.cancel();
            assert.equal(alive.status, 200, `${name} stays alive`);
          }
          await pg.start();
          await allReady(200, "postgres");
          await carriesOn();
        });

        await t.step("NATS restarts: 503 while it is down, then every service carries on", async () => {
          await underLoad(async () => {
            await nats.stop();
            await allReady(503, "nats");
            const scrape = await metricsOf("contacts-sync");
            assert.equal(scrape.status, 200, "metrics still answer without NATS");
            assert.doesNotMatch(scrape.text, /^nats_consumer_pending_messages\{/m, "no stale backlog");
            await nats.start();
            await allReady(200, "nats");
          });
          await carriesOn();
        });

        await t.step("both at once", async () => {
          await underLoad(async () => {
            await Promise.all([pg.stop(), nats.stop()]);
            await allReady(503, "postgres");
            await Promise.all([pg.start(), nats.start()]);
            await allReady(200, "postgres");
            await allReady(200, "nats");
          });
          await carriesOn();
        });
      } finally {
        for (const s of Object.values(services).reverse()) await s.stop();
      }
    });
  },
});
