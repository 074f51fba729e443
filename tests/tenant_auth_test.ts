// Per-tenant authentication across services: auth owns the keys; contacts-sync checks them over NATS.
import assert from "node:assert/strict";
import { runTenantCli } from "@app/auth/cli";
import { startAuth } from "@app/auth";
import { loadAuthConfig } from "@app/auth/config";
import { startContactsSync } from "@app/contacts-sync";
import { loadContactsSyncConfig } from "@app/contacts-sync/config";
import { captureLogs, isolatedInfra } from "@app/shared/testing";

Deno.test("CRM calls are authenticated per tenant by auth's API keys, in every service", async () => {
  await using infra = await isolatedInfra("tenantauth");
  const env = infra.env;
  await captureLogs(async () => {
    const a = await runTenantCli(["create", "--id", "acme", "--name", "Acme", "--enable"], env) as { apiKey: string };
    const b = await runTenantCli(["create", "--id", "beta", "--name", "Beta"], env) as { apiKey: string };
    assert.match(a.apiKey, /^csk_/);
    const auth = await startAuth(loadAuthConfig(env));
    const contacts = await startContactsSync(loadContactsSyncConfig(env));
    try {
      const who = async (base: string, key?: string) => {
        const res = await fetch(`${base}/v1/tenant`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
        return { status: res.status, body: await res.json() };
      };
      assert.deepEqual((await who(auth.url, a.apiKey)).body.id, "acme");
      assert.deepEqual((await who(auth.url, b.apiKey)).body, {
        id: "beta",
        name: "Beta",
        syncEnabled: false,
        conflictPolicy: "crm-wins",
        firstSyncNeedsConfirmation: false,
        calendarAttendees: false,
      });
      const none = await who(auth.url);
      assert.equal(none.status, 401);
      assert.equal(none.body.code, "unauthorized");
      assert.equal((await who(auth.url, a.apiKey.slice(0, -1) + "x")).status, 401);

      // contacts-sync has no /v1/tenant route: a valid key passes authentication and meets a 404;
      // a bad key is stopped with 401 before routing.
      assert.equal((await who(contacts.url, a.apiKey)).status, 404);
      assert.equal((await who(contacts.url, "csk_aaaaaaaaaaaa_" + "x".repeat(43))).status, 401);

      const rotated = await runTenantCli(["rotate-key", "--id", "acme", "--revoke-others"], env) as { apiKey: string };
      assert.equal((await who(auth.url, a.apiKey)).status, 401, "old key revoked");
      assert.equal((await who(auth.url, rotated.apiKey)).body.id, "acme");
    } finally {
      await contacts.stop();
      await auth.stop();
    }
  });
});
