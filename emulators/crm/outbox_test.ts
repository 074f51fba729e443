import assert from "node:assert/strict";
import { TcpProxy, testInfra, waitFor } from "@app/shared/testing";
import { seedSmallTenant, startSimulatorFixture } from "./testing.ts";

Deno.test("a change made while NATS is unreachable is published exactly once when it is back", async () => {
  const { proxy, url } = TcpProxy.front(testInfra().natsUrl, 4222);
  const f = await startSimulatorFixture("crmobx", { simulatorNatsUrl: url });
  try {
    await seedSmallTenant(f.admin);
    await proxy.pause();
    const writing = f.admin.createContact("t1", { givenName: "Ingrid", syncUserIds: ["u1"] });
    // The committed change waits in the outbox while NATS is unreachable.
    await waitFor("the committed change waiting in the outbox", () => f.sim.state.pendingEvents().length === 1);
    proxy.resume();
    const contact = await writing;
    const created = (await f.events()).filter((e) => e.event.type === "crm.contact.created");
    assert.deepEqual(created.map((e) => (e.event.data as { contact: { id: string } }).contact.id), [contact.id]);
    assert.deepEqual(f.sim.state.pendingEvents(), []);
  } finally {
    await f.close();
    await proxy.stop();
  }
});
