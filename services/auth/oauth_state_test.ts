// The OAuth callback trusts nothing but a state it issued: forged, replayed and expired states are
// refused; return URLs are limited to the CRM's origins; malformed bodies name the field.
import assert from "node:assert/strict";
import { captureLogs } from "@app/shared/testing";
import { assertNoTokenIn, CRM_ORIGIN, startAuthWorld } from "./testdata/world.ts";

Deno.test("the OAuth callback refuses forged, replayed and expired state; bodies are validated", async (t) => {
  let issued: string[] = [];
  const { lines } = await captureLogs(async () => {
    const w = await startAuthWorld("authstate", { alpha: true });
    const key = w.keys.alpha!;
    const callback = async (query: string) => {
      const res = await fetch(`${w.auth.url}/oauth/callback?${query}`, { redirect: "manual" });
      return { status: res.status, text: await res.text(), location: res.headers.get("location") };
    };
    const signIn = async (userId: string, upn: string, returnUrl?: string) => {
      const started = await w.call(key, "POST", `/v1/users/${userId}/link`, { loginHint: upn, returnUrl });
      assert.equal(started.status, 201);
      const res = await fetch(started.body.authorizeUrl, { redirect: "manual" });
      await res.body?.cancel();
      return new URL(res.headers.get("location")!);
    };
    try {
      await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: true });

      await t.step("a forged state is refused and links nothing", async () => {
        const back = await signIn("anna", "adele@contoso.test");
        const forged = new URLSearchParams(back.search);
        forged.set("state", "forged-" + crypto.randomUUID());
        const answer = await callback(forged.toString());
        assert.equal(answer.status, 400);
        assert.match(answer.text, /state_unknown/);
        assert.equal((await w.call(key, "GET", "/v1/users/anna/link")).body.state, "not_linked");
        const missing = await callback("code=abc");
        assert.equal(missing.status, 400);
        assert.match(missing.text, /state_missing/);
      });

      await t.step("a state is single use: the replayed callback is refused", async () => {
        const back = await signIn("anna", "adele@contoso.test");
        const first = await callback(back.search.slice(1));
        assert.equal(first.status, 200);
        assert.match(first.text, /is now linked/);
        const replay = await callback(back.search.slice(1));
        assert.equal(replay.status, 400);
        assert.match(replay.text, /state_unknown/);
        assert.match(replay.text, /already used/);
      });

      await t.step("an expired state is refused, back at the CRM's return URL", async () => {
        await w.call(key, "PUT", "/v1/users/bert/sync-right", { granted: true });
        const back = await signIn("bert", "ben@contoso.test", `${CRM_ORIGIN}/done`);
        await w.sql`update auth.link_states set expires_at = now() - interval '1 second'`;
        const answer = await callback(back.search.slice(1));
        assert.equal(answer.status, 302);
        const to = new URL(answer.location!);
        assert.equal(to.searchParams.get("outcome"), "error");
        assert.equal(to.searchParams.get("code"), "state_expired");
        assert.equal((await w.call(key, "GET", "/v1/users/bert/link")).body.state, "not_linked");
      });

      await t.step("a denied consent comes back as sign_in_failed with Microsoft's reason", async () => {
        const back = await signIn("bert", "ben@contoso.test");
        const denied = new URLSearchParams({
          state: back.searchParams.get("state")!,
          error: "access_denied",
          error_description: "AADSTS65004: User declined to consent to access the app.\r\nTrace ID: x",
        });
        const answer = await callback(denied.toString());
        assert.equal(answer.status, 400);
        assert.match(answer.text, /access_denied: AADSTS65004: User declined to consent/);
        assert.doesNotMatch(answer.text, /Trace ID/);
      });

      await t.step("a right revoked while the user was signing in stops the link (A2)", async () => {
        const back = await signIn("bert", "ben@contoso.test");
        await w.call(key, "PUT", "/v1/users/bert/sync-right", { granted: false });
        const answer = await callback(back.search.slice(1));
        assert.equal(answer.status, 403);
        assert.match(answer.text, /right_not_granted/);
        assert.equal((await w.call(key, "GET", "/v1/users/bert/link")).body.state, "not_linked");
        await w.call(key, "PUT", "/v1/users/bert/sync-right", { granted: true });
      });

      await t.step("a return URL outside the CRM's origins is refused (no open redirect)", async () => {
        for (
          const returnUrl of ["https://evil.example.com/x", "https://crm.example.test.evil.com/", "javascript:alert(1)"]
        ) {
          const answer = await w.call(key, "POST", "/v1/users/bert/link", { returnUrl });
          assert.equal(answer.status, 400, returnUrl);
          assert.deepEqual(answer.body.issues.map((i: { path: string }) => i.path), ["returnUrl"]);
        }
      });

      await t.step("linking may start without a body: Microsoft then lets the user pick the account", async () => {
        const answer = await w.call(key, "POST", "/v1/users/bert/link");
        assert.equal(answer.status, 201);
        const url = new URL(answer.body.authorizeUrl);
        assert.equal(url.searchParams.get("login_hint"), null);
        assert.equal(url.searchParams.get("prompt"), "select_account");
      });

      await t.step("malformed bodies get 400 naming the field", async () => {
        const cases: Array<[string, string, unknown, string[]]> = [
          ["PUT", "/v1/users/bert/sync-right", { granted: "yes" }, ["granted"]],
          ["PUT", "/v1/users/bert/sync-right", {}, ["granted"]],
          ["PATCH", "/v1/tenant", { conflictPolicy: "cms-wins" }, ["conflictPolicy"]],
          ["PATCH", "/v1/tenant", {}, ["(root)"]],
          ["PUT", "/v1/users/bert/settings", {}, ["(root)"]],
          ["PUT", "/v1/users/bert/settings", { contacts: { enabled: false, folder: "x" } }, ["contacts.folder"]],
          ["POST", "/v1/users/bert/link", { loginHint: 42 }, ["loginHint"]],
          ["PUT", "/v1/users/bert/settings", { contacts: { direction: "outlook-to-crm" } }, ["contacts.direction"]],
          ["PUT", "/v1/users/bad%20id/sync-right", { granted: true }, ["userId"]],
        ];
        for (const [method, path, body, fields] of cases) {
          const answer = await w.call(key, method, path, body);
          assert.equal(answer.status, 400, `${method} ${path}`);
          assert.equal(answer.body.code, "validation_failed");
          assert.deepEqual(answer.body.issues.map((i: { path: string }) => i.path), fields, `${method} ${path}`);
        }
        const notJson = await w.call(key, "PUT", "/v1/users/bert/sync-right", "{granted");
        assert.equal(notJson.status, 400);
      });
      issued = w.issuedTokens();
    } finally {
      await w.close();
    }
  });
  assertNoTokenIn(lines.join("\n"), issued);
});
