// A1, A2, A3, A8 and tenant isolation through the HTTP API and the emulator's sign-in.
import assert from "node:assert/strict";
import { captureLogs } from "@app/shared/testing";
import { assertNoTokenIn, CRM_ORIGIN, ofType, startAuthWorld } from "./testdata/world.ts";

Deno.test("linking a Microsoft 365 account: the whole flow, A3 conflicts, rights, tenant switch, isolation", async (t) => {
  let issued: string[] = [];
  const { lines } = await captureLogs(async () => {
    const w = await startAuthWorld("authlink", { alpha: true, beta: true });
    const { alpha, beta } = w.keys as { alpha: string; beta: string };
    try {
      await t.step("a user with the right links through sign-in and comes back to the CRM linked (A1)", async () => {
        assert.equal((await w.call(alpha, "PUT", "/v1/users/anna/sync-right", { granted: true })).status, 200);
        const started = await w.call(alpha, "POST", "/v1/users/anna/link", { loginHint: "adele@contoso.test" });
        assert.equal(started.status, 201);
        const url = new URL(started.body.authorizeUrl);
        assert.equal(url.searchParams.get("code_challenge_method"), "S256");
        assert.equal(url.searchParams.get("login_hint"), "adele@contoso.test");
        assert.ok((url.searchParams.get("state") ?? "").length >= 43, "state carries 256 random bits");

        const back = await w.link(alpha, "anna", "adele@contoso.test", `${CRM_ORIGIN}/settings/outlook?tab=1`);
        assert.equal(back.status, 302);
        const to = new URL(back.headers.get("location")!);
        assert.equal(to.origin + to.pathname, `${CRM_ORIGIN}/settings/outlook`);
        assert.equal(to.searchParams.get("tab"), "1");
        assert.equal(to.searchParams.get("outcome"), "linked");
        assert.equal(to.searchParams.get("userId"), "anna");

        const link = await w.call(alpha, "GET", "/v1/users/anna/link");
        assert.equal(link.body.state, "linked");
        assert.equal(link.body.accountName, "Adele");
        assert.equal(link.body.username, "adele@contoso.test");
        assert.ok(link.body.scopes.includes("Contacts.ReadWrite") && link.body.scopes.includes("Calendars.ReadWrite"));
        const user = await w.call(alpha, "GET", "/v1/users/anna");
        assert.equal(user.body.canSync, true);

        await w.settled();
        const events = await w.events();
        assert.deepEqual(ofType(events, "auth.right.changed").map((e) => e.data), [{ userId: "anna", granted: true }]);
        assert.deepEqual(ofType(events, "auth.account.linked").map((e) => [e.tenantId, e.data]), [
          ["alpha", { userId: "anna", accountName: "Adele" }],
        ]);
      });

      await t.step("/openapi.json describes every route, the callback included", async () => {
        const res = await fetch(`${w.auth.url}/openapi.json`);
        const doc = await res.json();
        assert.deepEqual(Object.keys(doc.paths).sort(), [
          "/oauth/callback",
          "/v1/tenant",
          "/v1/users",
          "/v1/users/{userId}",
          "/v1/users/{userId}/calendars",
          "/v1/users/{userId}/contact-folders",
          "/v1/users/{userId}/link",
          "/v1/users/{userId}/settings",
          "/v1/users/{userId}/sync-right",
        ]);
        assert.deepEqual(Object.keys(doc.paths["/v1/users/{userId}/link"]).sort(), ["delete", "get", "post"]);
        const settings = doc.paths["/v1/users/{userId}/settings"].put.requestBody.content["application/json"].schema;
        assert.ok(JSON.stringify(settings).includes('"maximum":60'), "includePastDays 0–60 is documented");
      });
      await t.step(
        "the same account for a user of another tenant: 409 naming the conflict, nothing changes (A3)",
        async () => {
          await w.call(beta, "PUT", "/v1/users/bruno/sync-right", { granted: true });
          await w.settled();
          const before = await w.rows();
          const eventsBefore = (await w.events()).length;
          const answer = await w.link(beta, "bruno", "adele@contoso.test");
          assert.equal(answer.status, 409);
          assert.match(answer.body, /account_already_linked/);
          assert.match(answer.body, /adele@contoso\.test is already linked to another CRM user/);
          assert.doesNotMatch(answer.body, /alpha|anna/, "the other tenant and user stay private");
          assert.deepEqual(await w.rows(), before);
          assert.equal((await w.events()).length, eventsBefore);
          assert.equal((await w.call(beta, "GET", "/v1/users/bruno/link")).body.state, "not_linked");
        },
      );

      await t.step(
        "a linked user signing in with a second account: 409 user_already_linked, nothing changes (A3)",
        async () => {
          const before = await w.rows();
          const answer = await w.link(alpha, "anna", "ben@contoso.test", `${CRM_ORIGIN}/back`);
          assert.equal(answer.status, 302);
          const to = new URL(answer.headers.get("location")!);
          assert.equal(to.searchParams.get("outcome"), "error");
          assert.equal(to.searchParams.get("code"), "user_already_linked");
          assert.match(
            to.searchParams.get("message")!,
            /already linked to the Microsoft 365 account adele@contoso\.test/,
          );
          assert.deepEqual(await w.rows(), before);
        },
      );

      await t.step("a user without the right gets 403 (A2)", async () => {
        await w.call(alpha, "PUT", "/v1/users/otto/sync-right", { granted: false });
        const refused = await w.call(alpha, "POST", "/v1/users/otto/link", { loginHint: "ben@contoso.test" });
        assert.equal(refused.status, 403);
        assert.equal(refused.body.code, "right_not_granted");
        assert.match(refused.body.detail, /Microsoft Outlook sync/);
        assert.equal((await w.call(alpha, "GET", "/v1/users/otto/calendars")).status, 403);
      });

      await t.step("a switched-off tenant gets 403; switching publishes the event (A8)", async () => {
        await w.call(beta, "PUT", "/v1/users/bea/sync-right", { granted: true });
        await w.cli("disable", "--id", "beta");
        assert.equal((await w.call(beta, "GET", "/v1/tenant")).body.syncEnabled, false);
        const refused = await w.call(beta, "POST", "/v1/users/bea/link", { loginHint: "ben@contoso.test" });
        assert.equal(refused.status, 403);
        assert.equal(refused.body.code, "feature_disabled");
        await w.settled();
        assert.deepEqual(ofType(await w.events(), "auth.tenant.switched").map((e) => [e.tenantId, e.data]), [
          ["beta", { enabled: false }],
        ]);
        await w.cli("enable", "--id", "beta");
      });

      await t.step("a tenant key reads its sync feature but can never set it: A8 is the operator's", async () => {
        await w.cli("disable", "--id", "beta");
        await w.settled();
        const before = await w.rows();
        const put = await w.call(beta, "PUT", "/v1/tenant/sync", { enabled: true });
        assert.equal(put.status, 404, "no such route");
        const patch = await w.call(beta, "PATCH", "/v1/tenant", { syncEnabled: true });
        assert.equal(patch.status, 400);
        assert.deepEqual(patch.body.issues.map((i: { path: string }) => i.path), ["syncEnabled"]);
        const sneaked = await w.call(beta, "PATCH", "/v1/tenant", { conflictPolicy: "crm-wins", syncEnabled: true });
        assert.equal(sneaked.status, 400, "not even beside a field it may set");
        assert.deepEqual(await w.rows(), before);
        assert.equal((await w.call(beta, "GET", "/v1/tenant")).body.syncEnabled, false);
        await w.cli("enable", "--id", "beta");
      });

      await t.step("a link started for one account and completed by signing in as another is refused", async () => {
        await w.call(beta, "PUT", "/v1/users/vicky/sync-right", { granted: true });
        await w.settled();
        const before = await w.rows();
        const answer = await w.linkAs(beta, "vicky", "carla@contoso.test", "ben@contoso.test");
        assert.equal(answer.status, 403);
        assert.match(answer.body, /account_mismatch/);
        assert.match(answer.body, /started for carla@contoso\.test, but Microsoft signed in ben@contoso\.test/);
        assert.deepEqual(await w.rows(), before, "nothing linked, no event");
        assert.equal((await w.call(beta, "GET", "/v1/users/vicky/link")).body.state, "not_linked");
        const differentCase = await w.linkAs(beta, "vicky", "Carla@Contoso.test", "carla@contoso.test");
        assert.equal(differentCase.status, 200, "the hint names the account in any case");
        assert.equal((await w.call(beta, "GET", "/v1/users/vicky/link")).body.username, "carla@contoso.test");
      });

      await t.step("tenant A's key neither reads nor changes tenant B's users; B's rows stay as they are", async () => {
        await w.settled();
        const bRows = async () => {
          const all = await w.rows();
          return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.filter((r) => r.includes('"beta"'))]));
        };
        const before = await bRows();
        for (
          const [method, path, body] of [
            ["GET", "/v1/users/bruno"],
            ["GET", "/v1/users/bruno/link"],
            ["POST", "/v1/users/bruno/link", {}],
            ["DELETE", "/v1/users/bruno/link"],
            ["GET", "/v1/users/bruno/settings"],
            ["PUT", "/v1/users/bruno/settings", { contacts: { enabled: false } }],
            ["GET", "/v1/users/bruno/calendars"],
          ] as const
        ) {
          const answer = await w.call(alpha, method, path, body);
          assert.equal(answer.status, 404, `${method} ${path}`);
        }
        const listed = await w.call(alpha, "GET", "/v1/users");
        assert.deepEqual(listed.body.items.map((u: { userId: string }) => u.userId), ["anna", "otto"]);
        // Granting "bruno" in tenant A makes A's own user of that id; B's bruno is untouched.
        assert.equal((await w.call(alpha, "PUT", "/v1/users/bruno/sync-right", { granted: false })).status, 200);
        await w.settled();
        assert.deepEqual(await bRows(), before);
        assert.equal((await w.call(beta, "GET", "/v1/users/bruno")).body.hasSyncRight, true);
      });
      issued = w.issuedTokens();
    } finally {
      await w.close();
    }
  });
  assertNoTokenIn(lines.join("\n"), issued);
});
