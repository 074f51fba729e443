// A6: sync services get short-lived tokens over NATS; a refused refresh turns the account
// needs-reconnect (status says why, an event is published, requests fail typed); tokens are sealed
// at rest, survive key rotation, and never appear in a row or a log line.
import assert from "node:assert/strict";
import { ForbiddenError, NeedsReconnectError, NotLinkedError } from "@app/shared/errors";
import { GetUserContextRequestSchema, SyncableUsersReplySchema, UserContextReplySchema } from "@app/shared/contract";
import { createGraphClient } from "@app/shared/graph";
import { callRpc, natsCatalog } from "@app/shared/nats";
import { captureLogs } from "@app/shared/testing";
import { assertNoTokenIn, ofType, startAuthWorld, tokenKey } from "./testdata/world.ts";

Deno.test("tokens over NATS work on Graph; a revoked grant turns the account needs-reconnect; nothing leaks", async (t) => {
  const issued = new Set<string>();
  const { lines } = await captureLogs(async () => {
    const w = await startAuthWorld("authtoken", { alpha: true });
    const key = w.keys.alpha!;
    const rpc = natsCatalog(w.prefix).subjects.auth.rpc;
    const remember = () => {
      for (const k of w.emu.state.accessTokens.keys()) issued.add(k);
      for (const k of w.emu.state.refreshTokens.keys()) issued.add(k);
    };
    try {
      await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: true });
      await w.call(key, "PUT", "/v1/users/otto/sync-right", { granted: true });
      assert.equal((await w.link(key, "anna", "adele@contoso.test")).status, 200);

      await t.step("a token requested over NATS is accepted by Graph (GET /me)", async () => {
        const token = await w.token("alpha", "anna");
        assert.equal(token.graphBaseUrl, w.emu.url);
        const graph = createGraphClient({
          baseUrl: token.graphBaseUrl,
          getAccessToken: () => Promise.resolve(token.accessToken),
        });
        const me = await graph.api("/me").get();
        assert.equal(me.userPrincipalName, "adele@contoso.test");
        const again = await w.token("alpha", "anna");
        assert.equal(again.accessToken, token.accessToken, "served from the cache while fresh");
        const forced = await w.token("alpha", "anna", true);
        assert.notEqual(forced.accessToken, token.accessToken, "forceRefresh redeems the refresh token");
        remember();
      });

      await t.step("user context and syncable users answer for the sync services", async () => {
        const ctx = await callRpc(w.nc, rpc.userContext, { tenantId: "alpha", userId: "anna" }, UserContextReplySchema);
        assert.equal(ctx.linkState, "linked");
        assert.equal(ctx.hasSyncRight, true);
        assert.equal(ctx.conflictPolicy, "crm-wins", "the tenant's policy (C9)");
        const unknown = GetUserContextRequestSchema.parse({ tenantId: "alpha", userId: "nobody" });
        assert.equal((await callRpc(w.nc, rpc.userContext, unknown, UserContextReplySchema)).linkState, "not_linked");
        const syncable = await callRpc(w.nc, rpc.syncableUsers, {}, SyncableUsersReplySchema);
        assert.deepEqual(syncable.items.map((u) => u.userId), ["anna"]);
        const unlinked = await w.token("alpha", "otto").catch((e) => e);
        assert.ok(unlinked instanceof NotLinkedError);
      });

      await t.step("no token without the right or with the tenant switched off (A2, A8)", async () => {
        await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: false });
        const noRight = await w.token("alpha", "anna").catch((e) => e);
        assert.ok(noRight instanceof ForbiddenError);
        assert.equal(noRight.code, "right_not_granted");
        await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: true });
        await w.cli("disable", "--id", "alpha");
        const off = await w.token("alpha", "anna").catch((e) => e);
        assert.ok(off instanceof ForbiddenError);
        assert.equal(off.code, "feature_disabled");
        await w.cli("enable", "--id", "alpha");
        assert.ok((await w.token("alpha", "anna")).accessToken);
      });
      await t.step(
        "the token keys rotate: after a restart with a new first key the cache is re-sealed with it",
        async () => {
          await w.restartAuth({ TOKEN_ENCRYPTION_KEYS: `${tokenKey("k2")},${w.env.TOKEN_ENCRYPTION_KEYS}` });
          const [before] = await w.sql`select key_id from auth.accounts`;
          assert.equal(before!.key_id, "k1");
          await w.token("alpha", "anna");
          const [after] = await w.sql`select key_id from auth.accounts`;
          assert.equal(after!.key_id, "k2");
        },
      );

      await t.step("after the grant is revoked the account needs reconnect, with reason and event (A6)", async () => {
        await w.emu.admin.revokeGrants("adele@contoso.test");
        // The cached access token is still "fresh" to MSAL; a sync service that got 401 forces a refresh.
        const refused = await w.token("alpha", "anna", true).catch((e) => e);
        assert.ok(refused instanceof NeedsReconnectError, String(refused));
        assert.match(refused.reason, /^invalid_grant \(bad_token\): AADSTS50173/);
        const status = await w.call(key, "GET", "/v1/users/anna/link");
        assert.equal(status.body.state, "needs_reconnect");
        assert.match(status.body.reason, /grant has expired due to it being revoked/);
        await w.settled();
        assert.deepEqual(ofType(await w.events(), "auth.account.needs_reconnect").map((e) => e.data.userId), ["anna"]);
        const still = await w.token("alpha", "anna").catch((e) => e);
        assert.ok(still instanceof NeedsReconnectError, "no silent retry with a dead grant");
        const syncable = await callRpc(w.nc, rpc.syncableUsers, { tenantId: "alpha" }, SyncableUsersReplySchema);
        assert.deepEqual(syncable.items, []);
        assert.equal((await w.call(key, "GET", "/v1/users/anna/calendars")).body.code, "needs_reconnect");
      });

      await t.step("signing in again reconnects the same account", async () => {
        assert.equal((await w.link(key, "anna", "adele@contoso.test")).status, 200);
        assert.equal((await w.call(key, "GET", "/v1/users/anna/link")).body.state, "linked");
        const token = await w.token("alpha", "anna");
        const graph = createGraphClient({
          baseUrl: w.emu.url,
          getAccessToken: () => Promise.resolve(token.accessToken),
        });
        assert.equal((await graph.api("/me").get()).userPrincipalName, "adele@contoso.test");
        remember();
      });

      await t.step("no access or refresh token the emulator issued is in any auth row", async () => {
        assert.ok(issued.size >= 4, `tokens seen: ${issued.size}`);
        const rows = JSON.stringify(await w.rows());
        assert.match(rows, /home_account_id/, "the rows were read");
        assert.match(rows, /token_cache/);
        assertNoTokenIn(rows, issued);
      });
    } finally {
      await w.close();
    }
  });
  await t.step("no token the emulator issued appears in the logs", () => {
    const text = lines.join("\n");
    assert.match(text, /"msg":"listening"/, "auth's log lines were captured");
    assert.match(text, /"msg":"account needs reconnect"/);
    assertNoTokenIn(text, issued);
  });
});
