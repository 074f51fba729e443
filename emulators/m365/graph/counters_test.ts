import assert from "node:assert/strict";
import { RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { CLIENT_ID, signedInGraph, startSeeded } from "../testdata/harness.ts";
import { RequestCounters } from "./counters.ts";

const noRetry = [new RetryHandlerOptions(0, 0)];

Deno.test("peak concurrency counts one app's operations in flight on a mailbox at once, refused ones included", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await client.api("/me/contacts").get(); // warm MSAL's cache so the requests start together
  const mailbox = s.users[0]!.id;
  assert.equal((await s.emu.admin.counts())[mailbox]!.peakConcurrency, 1, "sequential requests overlap nowhere");

  await s.emu.admin.resetCounts();
  await s.emu.admin.addFault({ fault: { kind: "delay", delayMs: 300 }, path: "^/contacts$", method: "GET" });
  await Promise.allSettled(
    Array.from({ length: 5 }, () => client.api("/me/contacts").middlewareOptions(noRetry).get()),
  );
  const counts = (await s.emu.admin.counts())[mailbox]!;
  assert.equal(counts.peakConcurrency, 5, "five attempted at once, though only four were admitted");
  assert.deepEqual(counts.peakConcurrencyByApp, { [CLIENT_ID]: 5 });
  assert.equal(counts.throttled, 1);

  await s.emu.admin.resetCounts();
  await s.emu.admin.clearFaults();
  await client.api("/me/contacts").get();
  assert.equal((await s.emu.admin.counts())[mailbox]!.peakConcurrency, 1, "reset starts the peak again");
});

Deno.test("peaks are kept per app and mailbox, and a reset keeps counting operations still in flight", () => {
  const counters = new RequestCounters();
  const a1 = counters.enter("u1", "appA");
  const a2 = counters.enter("u1", "appA");
  const b1 = counters.enter("u1", "appB");
  const other = counters.enter("u2", "appA");
  assert.deepEqual(counters.snapshot().u1!.peakConcurrencyByApp, { appA: 2, appB: 1 });
  assert.equal(counters.snapshot().u1!.peakConcurrency, 2);
  assert.equal(counters.snapshot().u2!.peakConcurrency, 1);
  a1();
  a1(); // leaving twice is harmless
  counters.reset();
  assert.deepEqual(counters.snapshot().u1!.peakConcurrencyByApp, { appA: 1, appB: 1 }, "one of appA still runs");
  const a3 = counters.enter("u1", "appA");
  assert.equal(counters.snapshot().u1!.peakConcurrencyByApp.appA, 2);
  for (const leave of [a2, a3, b1, other]) leave();
  counters.reset();
  assert.deepEqual(counters.snapshot(), {});
});
