import assert from "node:assert/strict";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";
import { startReceiver } from "../testdata/receiver.ts";

Deno.test("an events subscription is notified through the calendar module's items, with immutable ids when asked", async () => {
  await using s = await startSeeded();
  await using rx = startReceiver();
  const { client } = await signedInGraph(s);
  const immutable = 'IdType="ImmutableId"';
  const sub = await client.api("/subscriptions").header("Prefer", immutable).post({
    changeType: "created,deleted",
    notificationUrl: rx.url,
    resource: "me/events",
    expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
    clientState: "cal",
  });
  const ev = await client.api("/me/events").header("Prefer", immutable).post({
    subject: "Viewing",
    start: { dateTime: "2030-01-07T10:00:00", timeZone: "UTC" },
    end: { dateTime: "2030-01-07T11:00:00", timeZone: "UTC" },
  });
  await client.api(`/me/events/${ev.id}`).delete();
  await s.emu.admin.settleNotifications();
  const items = rx.received.flatMap((r) => r.body.value);
  assert.deepEqual(items.map((n) => [n.changeType, (n.resourceData as { id: string }).id]), [
    ["created", ev.id],
    ["deleted", ev.id],
  ]);
  assert.equal(items[0]!.subscriptionId, sub.id);
  assert.equal((items[0]!.resourceData as Record<string, string>)["@odata.type"], "#Microsoft.Graph.Event");
});
