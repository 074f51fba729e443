import assert from "node:assert/strict";
import { newKey, seedSmallTenant, startSimulatorFixture } from "./testing.ts";

Deno.test("with a snapshot path, records, versions and idempotency keys survive a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crmsim" });
  const snapshotPath = `${dir}/state.json`;
  try {
    const request = { tenantId: "t1", idempotencyKey: newKey(), fields: { givenName: "Franca" } };
    const first = await startSimulatorFixture("crmsnap", { snapshotPath });
    let created;
    try {
      await seedSmallTenant(first.admin);
      created = (await first.call("contactCreate", request)).contact;
      await first.admin.updateContact("t1", created.id, { company: "Casa Franca" });
    } finally {
      await first.close();
    }
    const second = await startSimulatorFixture("crmsnap", { snapshotPath });
    try {
      const again = await second.call("contactCreate", request);
      assert.deepEqual(again.contact, created, "the retry after the restart gets the first reply");
      const now = await second.admin.contact("t1", created.id);
      assert.equal(now.version, 2);
      assert.equal(now.company, "Casa Franca");
      const next = await second.admin.createContact("t1", { givenName: "Nuovo" });
      assert.notEqual(next.id, created.id);
      assert.equal((await second.call("groupsList", { tenantId: "t1" })).items.length, 1);
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
