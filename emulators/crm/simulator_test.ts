import assert from "node:assert/strict";
import { seedSmallTenant, startSimulatorFixture } from "./testing.ts";

Deno.test("startCrmSimulator() serves the admin surface and answers users.list over NATS", async () => {
  const f = await startSimulatorFixture("crmsim");
  try {
    await seedSmallTenant(f.admin);
    const users = await f.call("usersList", { tenantId: "t1" });
    assert.deepEqual(users.items.map((u) => u.id), ["u1", "u2", "u3"]);
    const groups = await f.call("groupsList", { tenantId: "t1" });
    assert.deepEqual(groups.items, [{ id: "g1", tenantId: "t1", name: "Vertrieb", memberIds: ["u2"] }]);
    const health = await fetch(`${f.sim.url}/readyz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await f.close();
  }
});
