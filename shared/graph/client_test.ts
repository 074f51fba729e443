import assert from "node:assert/strict";
import { msalFor, signIn, startSeeded } from "@app/m365-emulator/harness";
import { createGraphClient } from "./client.ts";
import { Semaphore } from "./semaphore.ts";
import { waitFor } from "../testing/mod.ts";

Deno.test("createGraphClient() sends the token, retries a 503 after Retry-After and holds the concurrency limit", async () => {
  await using s = await startSeeded({ config: { limits: { concurrency: 2 } } });
  const msal = msalFor(s.emu, s.tenantId);
  const token = (await signIn(msal, s.users[0]!.userPrincipalName)).accessToken;
  const statuses: number[] = [];
  const client = createGraphClient({
    baseUrl: s.emu.url,
    getAccessToken: () => Promise.resolve(token),
    concurrency: new Semaphore(2),
    onResponse: (r) => statuses.push(r.status),
  });
  await s.emu.admin.addFault({
    fault: { kind: "status", status: 503, retryAfterSeconds: 0 },
    times: 1,
    path: "^/contacts",
  });
  assert.deepEqual((await client.api("/me/contacts").get()).value, []);
  assert.deepEqual(statuses, [503, 200]);

  // Ten requests at once through a limit of 2 never meet the emulator's own limit of 2.
  statuses.length = 0;
  await s.emu.admin.addFault({ fault: { kind: "delay", delayMs: 30 } });
  await Promise.all(Array.from({ length: 10 }, () => client.api("/me/contacts").get()));
  assert.deepEqual(statuses, Array(10).fill(200));
});

Deno.test("Semaphore never lets more than its limit run and serves waiters in order", async () => {
  const sem = new Semaphore(3);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  // Each task holds its place until its gate opens: no timer decides who overlaps whom.
  const gates = Array.from({ length: 12 }, () => Promise.withResolvers<void>());
  const all = Promise.all(gates.map((gate, i) =>
    sem.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      order.push(i);
      running--;
    })
  ));
  await waitFor("three running at once, the rest waiting", () => running === 3);
  for (const gate of gates) gate.resolve();
  await all;
  assert.equal(peak, 3);
  assert.equal(sem.active, 0);
  assert.deepEqual(order, [...Array(12).keys()], "waiters are served in order");
});
