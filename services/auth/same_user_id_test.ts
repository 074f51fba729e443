// One user id in two tenants is two users: each gets its own account, status and Microsoft token
// (A3, tenant isolation). A lookup that dropped the tenant would hand one the other's mailbox.
import assert from "node:assert/strict";
import { UserContextReplySchema } from "@app/shared/contract";
import { createGraphClient } from "@app/shared/graph";
import { callRpc, natsCatalog } from "@app/shared/nats";
import { captureLogs } from "@app/shared/testing";
import { assertNoTokenIn, startAuthWorld } from "./testdata/world.ts";

Deno.test("a user id present in two tenants gets its own tenant's account, status and token, never the other's", async () => {
  let issued: string[] = [];
  const { lines } = await captureLogs(async () => {
    const w = await startAuthWorld("authsameid", { alpha: true, beta: true });
    const mailboxOf = async (tenantId: string, userId: string) => {
      const { accessToken } = await w.token(tenantId, userId);
      const graph = createGraphClient({ baseUrl: w.emu.url, getAccessToken: () => Promise.resolve(accessToken) });
      return (await graph.api("/me").get()).userPrincipalName;
    };
    try {
      for (const [tenant, upn] of [["alpha", "adele@contoso.test"], ["beta", "ben@contoso.test"]] as const) {
        const key = w.keys[tenant]!;
        assert.equal((await w.call(key, "PUT", "/v1/users/sam/sync-right", { granted: true })).status, 200);
        assert.equal((await w.link(key, "sam", upn)).status, 200, `sam links ${upn} in ${tenant}`);
      }
      // Both directions, so a lookup by user id alone fails whichever row it happens to find first.
      for (const [tenant, upn] of [["alpha", "adele@contoso.test"], ["beta", "ben@contoso.test"]] as const) {
        assert.equal((await w.call(w.keys[tenant]!, "GET", "/v1/users/sam/link")).body.username, upn);
        assert.equal(await mailboxOf(tenant, "sam"), upn, `${tenant}'s sam gets a token for ${upn}`);
        const ctx = await callRpc(
          w.nc,
          natsCatalog(w.prefix).subjects.auth.rpc.userContext,
          { tenantId: tenant, userId: "sam" },
          UserContextReplySchema,
        );
        assert.equal(ctx.tenantId, tenant);
        assert.equal(ctx.linkState, "linked");
      }
      // Unlinking in one tenant leaves the other's link as it is.
      assert.equal((await w.call(w.keys.alpha!, "DELETE", "/v1/users/sam/link")).status, 200);
      assert.equal((await w.call(w.keys.alpha!, "GET", "/v1/users/sam/link")).body.state, "not_linked");
      assert.equal((await w.call(w.keys.beta!, "GET", "/v1/users/sam/link")).body.username, "ben@contoso.test");
      assert.equal(await mailboxOf("beta", "sam"), "ben@contoso.test");
      issued = w.issuedTokens();
    } finally {
      await w.close();
    }
  });
  assertNoTokenIn(lines.join("\n"), issued);
});
