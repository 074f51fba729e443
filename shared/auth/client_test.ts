import assert from "node:assert/strict";
import { withAuth } from "./testing.ts";

Deno.test("userToken() reuses a user's token across sources (runs) and asks auth once per user", async () => {
  await withAuth(3_600_000, async (auth, asked) => {
    const first = await auth.userToken("t1", "u1").getAccessToken();
    const again = await auth.userToken("t1", "u1").getAccessToken();
    assert.equal(await auth.userToken("t1", "u1").graphBaseUrl(), "https://graph.example.test/v1.0");
    assert.equal(again, first);
    const other = await auth.userToken("t1", "u2").getAccessToken();
    const otherTenant = await auth.userToken("t2", "u1").getAccessToken();
    assert.notEqual(other, first);
    assert.notEqual(otherTenant, first);
    assert.deepEqual(asked(), ["t1/u1", "t1/u2", "t2/u1"]);
  });
});

Deno.test("forgetUser() and forgetTenant() make the next run ask auth for a fresh token", async () => {
  await withAuth(3_600_000, async (auth, asked) => {
    const first = await auth.userToken("t1", "u1").getAccessToken();
    await auth.userToken("t1", "u2").getAccessToken();
    await auth.userToken("t2", "u1").getAccessToken();
    auth.forgetUser("t1", "u1");
    assert.notEqual(await auth.userToken("t1", "u1").getAccessToken(), first);
    auth.forgetTenant("t1");
    await auth.userToken("t1", "u2").getAccessToken();
    await auth.userToken("t2", "u1").getAccessToken(); // the other tenant's stays cached
    assert.deepEqual(asked(), ["t1/u1", "t1/u2", "t2/u1", "t1/u1", "t1/u2"]);
  });
});

Deno.test("userToken() asks again for a token within 60 s of its expiry", async () => {
  await withAuth(30_000, async (auth, asked) => {
    const first = await auth.userToken("t1", "u1").getAccessToken();
    const second = await auth.userToken("t1", "u1").getAccessToken();
    assert.notEqual(second, first);
    assert.deepEqual(asked(), ["t1/u1", "t1/u1"]);
  });
});
