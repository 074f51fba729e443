// The per-mailbox Graph allowance (P7) against the Microsoft 365 emulator, which counts the requests
// in flight on each mailbox: two services (two processes' budgets on their own NATS connections,
// as contacts-sync and calendar-sync are) sharing one mailbox never have more than 4 in flight, and
// a service alone gets all 4 (an idle one holds no share).
import assert from "node:assert/strict";
import { msalFor, signIn, startSeeded } from "@app/m365-emulator/harness";
import { createGraphClient } from "../graph/client.ts";
import { Logger } from "../log/mod.ts";
import { natsCatalog } from "../nats/mod.ts";
import { connectTestNats, deleteTestStreams, testNatsPrefix } from "../testing/mod.ts";
import { GRAPH_LIMITS, GraphBudget } from "./graph_budget.ts";

const logger = new Logger("test", "error");

Deno.test("GraphBudget: two services sharing one mailbox never exceed 4 concurrent Graph requests; one alone uses all 4 (P7)", async () => {
  // Each read takes a while in the emulator, so requests overlap whenever the budget lets them.
  await using m365 = await startSeeded({ config: { latency: { readMs: 30 } } });
  const upn = m365.users[0]!.userPrincipalName;
  const mailbox = m365.users[0]!.id;
  const msal = msalFor(m365.emu, m365.tenantId);
  const first = await signIn(msal, upn);
  const token = async () =>
    (await msal.acquireTokenSilent({ account: first.account!, scopes: ["Contacts.ReadWrite"] })).accessToken;
  const prefix = testNatsPrefix("budget");
  const bucket = natsCatalog(prefix).kv.graphBudget;
  const [contactsNc, calendarNc] = [await connectTestNats(), await connectTestNats()];
  const statuses: number[] = [];
  const service = (nc: typeof contactsNc) => {
    const budget = new GraphBudget(nc, bucket, GRAPH_LIMITS, logger);
    return createGraphClient({
      baseUrl: m365.emu.url,
      getAccessToken: token,
      allowance: budget.forMailbox("t1", "u1"),
      maxRetries: 0,
      onResponse: (r) => statuses.push(r.status),
    });
  };
  const contacts = service(contactsNc);
  const calendar = service(calendarNc);
  const burst = (client: typeof contacts, n: number) =>
    Promise.all(Array.from({ length: n }, () => client.api("/me/contacts").top(1).get()));
  try {
    await burst(contacts, 16);
    const alone = (await m365.emu.admin.counts())[mailbox]!;
    assert.ok(alone.peakConcurrency <= 4, `peak ${alone.peakConcurrency} alone`);
    assert.ok(alone.peakConcurrency >= 3, `a service alone gets the idle one's share (peak ${alone.peakConcurrency})`);

    await m365.emu.admin.resetCounts();
    await Promise.all([burst(contacts, 24), burst(calendar, 24)]);
    const shared = (await m365.emu.admin.counts())[mailbox]!;
    assert.ok(shared.peakConcurrency <= 4, `peak ${shared.peakConcurrency} with two services`);
    assert.equal(statuses.length, 64);
    assert.ok(statuses.every((s) => s === 200), `no request refused: ${[...new Set(statuses)]}`);
  } finally {
    await deleteTestStreams(contactsNc, prefix);
    await contactsNc.drain();
    await calendarNc.drain();
  }
});
