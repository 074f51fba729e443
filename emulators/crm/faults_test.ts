import assert from "node:assert/strict";
import { RetryableError, UpstreamError } from "@app/shared/errors";
import { newKey, seedSmallTenant, startSimulatorFixture } from "./testing.ts";

Deno.test("an injected error fault answers retryable for the next N requests and changes nothing", async () => {
  const f = await startSimulatorFixture("crmflt");
  try {
    await seedSmallTenant(f.admin);
    await f.admin.injectFault({ rpc: "contactCreate", mode: "error", count: 2, retryAfterMs: 250 });
    const request = { tenantId: "t1", idempotencyKey: newKey(), fields: { givenName: "Paolo" } };
    for (let i = 0; i < 2; i++) {
      const err = await f.call("contactCreate", request).catch((e) => e);
      assert.ok(err instanceof RetryableError, String(err));
      assert.equal(err.retryAfterMs, 250);
    }
    assert.equal((await f.admin.contacts("t1")).length, 0);
    await f.call("contactCreate", request);
    assert.equal((await f.admin.contacts("t1")).length, 1);
    assert.deepEqual(await f.admin.faults(), []);
    const log = await f.admin.requests({ writesOnly: true });
    assert.deepEqual(log.map((e) => [e.outcome, e.fault]), [["fault", "error"], ["fault", "error"], ["ok", undefined]]);
  } finally {
    await f.close();
  }
});

Deno.test("an injected timeout leaves the request unanswered, which the caller sees as retryable", async () => {
  const f = await startSimulatorFixture("crmflt");
  try {
    await seedSmallTenant(f.admin);
    await f.admin.injectFault({ rpc: "contactsList", mode: "timeout", tenantId: "t1" });
    const err = await f.call("contactsList", { tenantId: "t1" }, { timeoutMs: 300 }).catch((e) => e);
    assert.ok(err instanceof RetryableError, String(err));
    const page = await f.call("contactsList", { tenantId: "t1" });
    assert.deepEqual(page.items, []);
  } finally {
    await f.close();
  }
});

Deno.test("an injected malformed reply is not JSON, so a caller fails closed instead of reading an empty page", async () => {
  const f = await startSimulatorFixture("crmflt");
  try {
    await seedSmallTenant(f.admin);
    await f.admin.createContact("t1", { givenName: "Heike", syncUserIds: ["u1"] });
    await f.admin.injectFault({ rpc: "contactsList", mode: "malformed" });
    const err = await f.call("contactsList", { tenantId: "t1", syncUserId: "u1" }).catch((e) => e);
    assert.ok(err instanceof UpstreamError, String(err));
    assert.equal(err.code, "rpc_bad_reply");
  } finally {
    await f.close();
  }
});

Deno.test("a lost reply still applies the write; the retry with the same key gets the first result", async () => {
  const f = await startSimulatorFixture("crmflt");
  try {
    await seedSmallTenant(f.admin);
    await f.admin.injectFault({ rpc: "contactCreate", mode: "lost_reply" });
    const request = { tenantId: "t1", idempotencyKey: newKey(), fields: { givenName: "Klaus" }, syncUserIds: ["u1"] };
    const lost = await f.raw("contactCreate", JSON.stringify(request), 300).catch((e) => e);
    assert.ok(lost instanceof Error, "no answer");
    const [stored] = await f.admin.contacts("t1");
    const { contact } = await f.call("contactCreate", request);
    assert.deepEqual(contact, stored);
    assert.equal((await f.admin.contacts("t1")).length, 1);
    const log = await f.admin.requests({ rpc: "contactCreate" });
    assert.deepEqual(log.map((e) => e.outcome), ["fault", "replayed"]);
    assert.equal(log[0]!.recordId, stored!.id);
  } finally {
    await f.close();
  }
});

Deno.test("faults are scoped to their subject and tenant and can be cleared", async () => {
  const f = await startSimulatorFixture("crmflt");
  try {
    await seedSmallTenant(f.admin);
    await seedSmallTenant(f.admin, "t2");
    await f.admin.injectFault({ rpc: "usersList", mode: "error", tenantId: "t2", count: 5 });
    assert.equal((await f.call("usersList", { tenantId: "t1" })).items.length, 3);
    assert.equal((await f.call("groupsList", { tenantId: "t2" })).items.length, 1);
    await assert.rejects(f.call("usersList", { tenantId: "t2" }), RetryableError);
    assert.equal((await f.admin.faults())[0]?.remaining, 4);
    await f.admin.clearFaults();
    assert.equal((await f.call("usersList", { tenantId: "t2" })).items.length, 3);
  } finally {
    await f.close();
  }
});
