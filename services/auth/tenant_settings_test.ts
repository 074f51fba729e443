// What a tenant chooses for itself — the conflict policy (C9) and whether a user's first sync waits
// for confirmation (A10) — over HTTP and the operator CLI, carried to the sync services in each
// user's context; and `deno task tenant --help` answers without a database.
import assert from "node:assert/strict";
import { UserContextReplySchema } from "@app/shared/contract";
import { callRpc, natsCatalog } from "@app/shared/nats";
import { captureLogs, connectTestNats, isolatedInfra } from "@app/shared/testing";
import { runTenantCli, USAGE, UsageError } from "./cli.ts";
import { loadAuthConfig } from "./config.ts";
import { startAuth } from "./main.ts";

Deno.test("a tenant sets its conflict policy (C9) and first-sync confirmation (A10); user contexts carry both", async (t) => {
  await using infra = await isolatedInfra("authtenant");
  const env = infra.env;
  const cli = (...args: string[]) => runTenantCli(args, env) as Promise<{ tenant: Record<string, unknown> }>;
  const { apiKey } = await runTenantCli(["create", "--id", "acme", "--name", "Acme", "--enable"], env) as {
    apiKey: string;
  };
  const nc = await connectTestNats();
  await captureLogs(async () => {
    const auth = await startAuth(loadAuthConfig(env));
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${auth.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const context = () =>
      callRpc(
        nc,
        natsCatalog(infra.prefix).subjects.auth.rpc.userContext,
        { tenantId: "acme", userId: "anna" },
        UserContextReplySchema,
      );
    try {
      await call("PUT", "/v1/users/anna/sync-right", { granted: true });

      await t.step("defaults: CRM wins, no confirmation", async () => {
        const tenant = await call("GET", "/v1/tenant");
        assert.equal(tenant.body.conflictPolicy, "crm-wins");
        assert.equal(tenant.body.firstSyncNeedsConfirmation, false);
        const ctx = await context();
        assert.equal(ctx.conflictPolicy, "crm-wins");
        assert.equal(ctx.firstSyncNeedsConfirmation, false);
      });

      await t.step("PATCH /v1/tenant changes only what it carries, and the next context says so", async () => {
        const policy = await call("PATCH", "/v1/tenant", { conflictPolicy: "outlook-wins" });
        assert.equal(policy.status, 200);
        assert.equal(policy.body.conflictPolicy, "outlook-wins");
        assert.equal(policy.body.firstSyncNeedsConfirmation, false);
        const gate = await call("PATCH", "/v1/tenant", { firstSyncNeedsConfirmation: true });
        assert.deepEqual([gate.body.conflictPolicy, gate.body.firstSyncNeedsConfirmation], ["outlook-wins", true]);
        const ctx = await context();
        assert.equal(ctx.conflictPolicy, "outlook-wins");
        assert.equal(ctx.firstSyncNeedsConfirmation, true);
      });

      await t.step("refused: an unknown policy, an empty body, the operator's switch", async () => {
        assert.equal((await call("PATCH", "/v1/tenant", { conflictPolicy: "newest-wins" })).status, 400);
        assert.equal((await call("PATCH", "/v1/tenant", {})).status, 400);
        assert.equal((await call("PATCH", "/v1/tenant", { syncEnabled: false })).status, 400);
        const tenant = await call("GET", "/v1/tenant");
        assert.deepEqual(
          [tenant.body.syncEnabled, tenant.body.conflictPolicy, tenant.body.firstSyncNeedsConfirmation],
          [true, "outlook-wins", true],
        );
      });

      await t.step("the operator CLI sets them too", async () => {
        const out = await cli("configure", "--id", "acme", "--conflict-policy", "crm-wins");
        assert.deepEqual([out.tenant.conflictPolicy, out.tenant.firstSyncNeedsConfirmation], ["crm-wins", true]);
        await cli("configure", "--id", "acme", "--first-sync-confirmation", "off");
        const ctx = await context();
        assert.deepEqual([ctx.conflictPolicy, ctx.firstSyncNeedsConfirmation], ["crm-wins", false]);
        // E10: real attendees for new future CRM appointments, off by default, switched on and off again.
        assert.equal((await context()).calendarAttendees, false);
        const on = await cli("configure", "--id", "acme", "--calendar-attendees", "on");
        assert.equal(on.tenant.calendarAttendees, true);
        assert.equal((await context()).calendarAttendees, true);
        await cli("configure", "--id", "acme", "--calendar-attendees", "off");
        assert.equal((await context()).calendarAttendees, false);
        await assert.rejects(
          cli("configure", "--id", "acme", "--calendar-attendees", "yes"),
          (e) => e instanceof UsageError && /--calendar-attendees: on or off, not yes/.test(e.message),
        );
        // One switch leaves the others as they were.
        assert.deepEqual([(await context()).conflictPolicy, (await context()).firstSyncNeedsConfirmation], [
          "crm-wins",
          false,
        ]);
        await assert.rejects(cli("configure", "--id", "acme", "--conflict-policy", "x"), UsageError);
        await assert.rejects(cli("configure", "--id", "acme"), UsageError);
      });
    } finally {
      await auth.stop();
    }
  });
  await nc.drain();
});

Deno.test("deno task tenant --help answers the usage without a database; bad arguments say what is wrong", async () => {
  const nowhere = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }; // would fail if it were opened
  assert.equal(await runTenantCli(["--help"], nowhere), USAGE);
  assert.equal(await runTenantCli(["create", "--help"], nowhere), USAGE);
  assert.match(USAGE, /configure --id <id> \[--conflict-policy/);
  const unknown = await runTenantCli(["frobnicate"], nowhere).catch((e) => e);
  assert.ok(unknown instanceof UsageError);
  assert.match(unknown.message, /unknown command: frobnicate/);
  const badFlag = await runTenantCli(["list", "--verbose"], nowhere).catch((e) => e);
  assert.ok(badFlag instanceof UsageError);
  assert.match(badFlag.message, /--verbose/);
  const noId = await runTenantCli(["enable"], nowhere).catch((e) => e);
  assert.ok(noId instanceof UsageError);
  assert.match(noId.message, /--id: required/);
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./cli.ts", import.meta.url).pathname, "--help"],
    env: nowhere,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(child.code, 0, new TextDecoder().decode(child.stderr));
  assert.match(new TextDecoder().decode(child.stdout), /usage: deno task tenant/);
});
