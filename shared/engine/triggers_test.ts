// The auth-event trigger drops the cached Graph token of the user (or the whole tenant) an event is
// about, so the next run asks auth again (P8 token reuse must never outlive a relink, a revoked
// right or a tenant switch). Real NATS token responder; the scheduler records what was asked.
import assert from "node:assert/strict";
import type { AuthEvent } from "../contract/mod.ts";
import { withAuth } from "../auth/testing.ts";
import type { SyncKind } from "./kind.ts";
import type { Scheduler } from "./scheduler.ts";
import { onAuthEvent } from "./triggers.ts";

const at = "2026-11-29T10:00:00.000Z";
const events: AuthEvent[] = [
  {
    id: "e1",
    type: "auth.account.linked",
    v: 1,
    tenantId: "t1",
    occurredAt: at,
    data: { userId: "u1", accountName: "a" },
  },
  { id: "e2", type: "auth.account.unlinked", v: 1, tenantId: "t1", occurredAt: at, data: { userId: "u1" } },
  {
    id: "e3",
    type: "auth.account.needs_reconnect",
    v: 1,
    tenantId: "t1",
    occurredAt: at,
    data: { userId: "u1", reason: "refresh refused" },
  },
  {
    id: "e4",
    type: "auth.right.changed",
    v: 1,
    tenantId: "t1",
    occurredAt: at,
    data: { userId: "u1", granted: false },
  },
];

Deno.test("P8: every auth event about a user makes that user's next run ask auth for a fresh token, and only theirs", async () => {
  await withAuth(3_600_000, async (auth, asked) => {
    const requested: string[] = [];
    const scheduler = {
      request: (t: string, u: string, r: string) => Promise.resolve(void requested.push(`${t}/${u}:${r}`)),
    };
    const handle = onAuthEvent({} as SyncKind, auth, scheduler as unknown as Scheduler);
    await auth.userToken("t1", "u2").getAccessToken();
    for (const event of events) {
      const before = await auth.userToken("t1", "u1").getAccessToken();
      assert.equal(await auth.userToken("t1", "u1").getAccessToken(), before, "cached between runs");
      await handle(event);
      assert.notEqual(await auth.userToken("t1", "u1").getAccessToken(), before, `${event.type} drops the token`);
    }
    await auth.userToken("t1", "u2").getAccessToken();
    assert.deepEqual(asked().filter((a) => a === "t1/u2"), ["t1/u2"], "another user's token stays cached");
    assert.deepEqual(requested, ["t1/u1:auth.account.linked"], "only linking asks for a run here");
  });
});

Deno.test("P8, A8: a tenant switched off drops every cached token of that tenant, not another tenant's", async () => {
  await withAuth(3_600_000, async (auth, asked) => {
    const scheduler = { request: () => Promise.resolve() };
    const handle = onAuthEvent({} as SyncKind, auth, scheduler as unknown as Scheduler);
    for (const [t, u] of [["t1", "u1"], ["t1", "u2"], ["t2", "u1"]]) await auth.userToken(t!, u!).getAccessToken();
    await handle({
      id: "e5",
      type: "auth.tenant.switched",
      v: 1,
      tenantId: "t1",
      occurredAt: at,
      data: { enabled: false },
    });
    for (const [t, u] of [["t1", "u1"], ["t1", "u2"], ["t2", "u1"]]) await auth.userToken(t!, u!).getAccessToken();
    assert.deepEqual(asked(), ["t1/u1", "t1/u2", "t2/u1", "t1/u1", "t1/u2"]);
  });
});
