import assert from "node:assert/strict";
import { ConflictError, RetryableError, UpstreamError } from "@app/shared/errors";
import { crmIdStampOf } from "./graph_mapping.ts";
import { harness } from "./_test_harness.ts";

Deno.test("applyContactPlan() retries a throttled Outlook write after its Retry-After within the run", async () => {
  const h = harness();
  for (let i = 0; i < 3; i++) h.addCrm({ familyName: `N${i}` });
  let throttles = 2;
  h.graph.fault = (op) =>
    op === "create" && throttles-- > 0 ? { kind: "throttled", retryAfterMs: 7_000, message: "429" } : undefined;
  await h.syncTwice();
  assert.deepEqual(h.sleeps, [7_000]);
  assert.equal(h.graph.all().length, 3);
  const rows = await h.links.list();
  assert.ok(rows.some((r) => r.attempts.map((a) => a.outcome).join() === "throttled,ok"));
  await h.assertInStep();
});

Deno.test("applyContactPlan() records a failed item on its row, keeps the last 3 attempts and retries it next run", async () => {
  const h = harness();
  const bad = h.addCrm({ familyName: "Fails" });
  h.addCrm({ familyName: "Fine" });
  let failing = true;
  // Fail only the create of the "Fails" contact: creates are batched in order, the first body is "Fails".
  let calls = 0;
  h.graph.fault = (op) =>
    op === "create" && failing && calls++ % 2 === 0 ? { kind: "failed", status: 500, message: "boom" } : undefined;
  for (let i = 0; i < 4; i++) {
    const r = await h.run();
    assert.equal(r.status, "completed");
    assert.equal(r.failures.length, 1, "the run goes on; one item failed");
    calls = 0;
  }
  const row = (await h.links.getByCrmId(bad.id))!;
  assert.equal(row.state, "creating_in_graph");
  assert.equal(row.lastError, "boom");
  assert.equal(row.attempts.length, 3);
  assert.equal(h.graph.all().length, 1);
  failing = false;
  await h.syncTwice();
  assert.equal(h.graph.all().length, 2);
  const healed = (await h.links.getByCrmId(bad.id))!;
  assert.equal(healed.lastError, null);
  assert.equal(healed.attempts.at(-1)?.outcome, "ok");
  await h.assertInStep();
});

Deno.test("applyContactPlan() keeps an Outlook change whose CRM write failed, though the delta cursor moved on", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi", jobTitle: "Agent" });
  await h.syncTwice();
  h.graph.userUpdate(h.graph.all()[0]!.id, { jobTitle: "Broker" });
  h.crm.fault = (op) => op === "update" ? new UpstreamError("crm_down", "CRM unavailable") : undefined;
  const failed = await h.run();
  assert.equal(failed.failures.length, 1);
  h.crm.fault = () => undefined;
  await h.syncTwice();
  assert.equal(h.crm.get(c.id)!.jobTitle, "Broker");
  await h.assertInStep();
});

Deno.test("applyContactPlan() keeps an Outlook delete whose archive failed and archives next run (C5)", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  await h.syncTwice();
  h.graph.userDelete(h.graph.all()[0]!.id);
  h.crm.fault = (op) => op === "archive" ? new RetryableError("busy", 2_000) : undefined;
  const failed = await h.run();
  assert.equal(failed.failures.length, 1);
  assert.deepEqual(h.sleeps, [2_000, 2_000], "throttled CRM writes are retried after their delay, 3 tries");
  h.crm.fault = () => undefined;
  await h.syncTwice();
  assert.equal(h.crm.get(c.id)!.archived, true);
});

Deno.test("applyContactPlan() retries a CRM update refused for a stale version with fresh data next run", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  await h.syncTwice();
  h.graph.userUpdate(h.graph.all()[0]!.id, { jobTitle: "Broker" });
  h.crm.fault = (op) => op === "update" ? new ConflictError("version_conflict", "stale") : undefined;
  assert.equal((await h.run()).failures.length, 1);
  h.crm.fault = () => undefined;
  h.crm.edit(c.id, { company: "Acme" });
  await h.syncTwice();
  assert.deepEqual([h.crm.get(c.id)!.jobTitle, h.crm.get(c.id)!.company], ["Broker", "Acme"]);
  await h.assertInStep();
});

Deno.test("applyContactPlan() merges next run when an Outlook update hits a changed change key (412)", async () => {
  const h = harness();
  const c = h.addCrm({ familyName: "Rossi" });
  await h.syncTwice();
  const g = h.graph.all()[0]!;
  h.crm.edit(c.id, { jobTitle: "From CRM" });
  // The user edits between our read and our write: If-Match no longer holds.
  const original = h.graph.updateMany.bind(h.graph);
  h.graph.updateMany = (items) => {
    h.graph.userUpdate(g.id, { companyName: "From Outlook" });
    h.graph.updateMany = original;
    return original(items);
  };
  const r = await h.run();
  assert.equal(r.failures.length, 1);
  await h.syncTwice();
  assert.deepEqual([h.crm.get(c.id)!.jobTitle, h.crm.get(c.id)!.company], ["From CRM", "From Outlook"]);
  await h.assertInStep();
});

Deno.test("runContactSync() killed between the Outlook create and its link write converges without duplicates", async () => {
  const h = harness();
  for (let i = 0; i < 45; i++) {
    h.addCrm({ familyName: `N${i}`, emails: [{ address: `n${i}@x.example`, kind: "work" }] });
  }
  let batches = 0;
  h.graph.afterWrite = (op) => {
    if (op === "create" && ++batches === 2) throw new Error("killed");
  };
  await assert.rejects(h.run(), /killed/);
  h.graph.afterWrite = () => {};
  const requests = h.graph.requests;
  await h.syncTwice();
  assert.equal(h.graph.all().length, 45);
  assert.equal(new Set(h.graph.all().map(crmIdStampOf)).size, 45, "one Outlook contact per CRM contact");
  assert.ok(h.graph.requests - requests < 45, "only the 20 orphaned intents were looked up");
  await h.assertInStep();
});

Deno.test("runContactSync() killed between the CRM create and its link write converges without duplicates", async () => {
  const h = harness();
  for (let i = 0; i < 5; i++) h.addOutlook({ surname: `O${i}`, emailAddresses: [{ address: `o${i}@x.example` }] });
  h.addOutlook({ companyName: "Only a company" });
  let creates = 0;
  h.crm.afterWrite = (op) => {
    if (op === "create" && ++creates === 3) throw new Error("killed");
  };
  await assert.rejects(h.run(), /killed/);
  h.crm.afterWrite = () => {};
  await h.syncTwice();
  assert.equal(h.crm.all().length, 6);
  assert.equal(h.graph.all().length, 6);
  await h.assertInStep();
});

Deno.test("runContactSync() killed after a CRM create whose Outlook contact was then deleted archives the orphan (C5)", async () => {
  const h = harness();
  const g = h.addOutlook({ surname: "Short-lived", emailAddresses: [{ address: "s@x.example" }] });
  h.crm.afterWrite = () => {
    throw new Error("killed");
  };
  await assert.rejects(h.run(), /killed/);
  h.crm.afterWrite = () => {};
  h.graph.userDelete(g.id);
  await h.syncTwice();
  assert.equal(h.crm.all().length, 1);
  assert.equal(h.crm.all()[0]!.archived, true);
  assert.deepEqual(await h.links.list(), []);
});
