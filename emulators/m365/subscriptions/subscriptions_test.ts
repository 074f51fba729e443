import assert from "node:assert/strict";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";
import { startReceiver } from "../testdata/receiver.ts";

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

Deno.test("a contacts subscription validates its endpoint and notifies created/updated/deleted with clientState", async () => {
  await using s = await startSeeded();
  await using rx = startReceiver();
  const { client } = await signedInGraph(s);
  const sub = await client.api("/subscriptions").post({
    changeType: "created,updated,deleted",
    notificationUrl: `${rx.url}/notify`,
    lifecycleNotificationUrl: `${rx.url}/lifecycle`,
    resource: "me/contacts",
    expirationDateTime: inHours(24),
    clientState: "secret-state",
  });
  assert.match(sub["@odata.context"], /\$metadata#subscriptions\/\$entity$/);
  assert.equal(sub.clientState, "secret-state");

  const c = await client.api("/me/contacts").post({ givenName: "Notified" });
  await s.emu.admin.settleNotifications();
  await client.api(`/me/contacts/${c.id}`).patch({ givenName: "Again" });
  await client.api(`/me/contacts/${c.id}`).delete();
  await s.emu.admin.settleNotifications();

  const items = rx.received.filter((r) => r.path === "/notify").flatMap((r) => r.body.value);
  assert.deepEqual(items.map((n) => n.changeType), ["created", "updated", "deleted"]);
  for (const n of items) {
    assert.equal(n.clientState, "secret-state");
    assert.equal(n.subscriptionId, sub.id);
    assert.equal(n.tenantId, s.tenantId);
    assert.equal((n.resourceData as { id: string }).id, c.id);
    assert.equal(n.resource, `Users/${s.users[0]!.id}/Contacts/${c.id}`);
  }
  assert.equal((items[0]!.resourceData as Record<string, string>)["@odata.type"], "#Microsoft.Graph.Contact");

  const lifecycle = await s.emu.admin.lifecycle(sub.id, "missed");
  assert.equal(lifecycle.status, 202);
  const l = rx.received.find((r) => r.path === "/lifecycle")!.body.value[0]!;
  assert.equal(l.lifecycleEvent, "missed");
  assert.equal(l.clientState, "secret-state");
});

Deno.test("subscriptions renew within 10080 minutes, refuse longer, and stop after delete", async () => {
  await using s = await startSeeded();
  await using rx = startReceiver();
  const { client } = await signedInGraph(s);
  const folder = await client.api("/me/contactFolders").post({ displayName: "CRM" });
  const sub = await client.api("/subscriptions").post({
    changeType: "created",
    notificationUrl: rx.url,
    resource: `users/${s.users[0]!.id}/contactFolders/${folder.id}/contacts`,
    expirationDateTime: inHours(1),
  });
  const renewed = await client.api(`/subscriptions/${sub.id}`).patch({ expirationDateTime: inHours(150) });
  assert.ok(Date.parse(renewed.expirationDateTime) > Date.parse(sub.expirationDateTime));
  const tooLong = await client.api(`/subscriptions/${sub.id}`).patch({ expirationDateTime: inHours(24 * 7 + 1) })
    .catch((e) => e);
  assert.equal(tooLong.statusCode, 400);
  assert.match(tooLong.message, /10080 minutes/);

  await client.api("/me/contacts").post({ givenName: "Default folder: not covered" });
  await client.api(`/me/contactFolders/${folder.id}/contacts`).post({ givenName: "Covered" });
  await client.api(`/subscriptions/${sub.id}`).delete();
  await client.api(`/me/contactFolders/${folder.id}/contacts`).post({ givenName: "After delete" });
  await s.emu.admin.settleNotifications();
  assert.equal(rx.received.flatMap((r) => r.body.value).length, 1);
  const gone = await client.api(`/subscriptions/${sub.id}`).get().catch((e) => e);
  assert.equal(gone.statusCode, 404);
});

Deno.test("a subscription whose endpoint does not echo the validation token is refused", async () => {
  await using s = await startSeeded();
  await using rx = startReceiver();
  rx.echo = false;
  const { client } = await signedInGraph(s);
  const err = await client.api("/subscriptions").post({
    changeType: "created",
    notificationUrl: rx.url,
    resource: "me/contacts",
    expirationDateTime: inHours(2),
  }).catch((e) => e);
  assert.equal(err.statusCode, 400);
  assert.match(err.message, /Subscription validation request failed/);
  assert.deepEqual((await s.emu.admin.subscriptions()).value, []);
});

Deno.test("subscriptionRemoved lifecycle deletes the subscription", async () => {
  await using s = await startSeeded();
  await using rx = startReceiver();
  const { client } = await signedInGraph(s);
  const sub = await client.api("/subscriptions").post({
    changeType: "updated",
    notificationUrl: rx.url,
    lifecycleNotificationUrl: rx.url,
    resource: "/me/contacts",
    expirationDateTime: inHours(2),
  });
  await s.emu.admin.lifecycle(sub.id, "subscriptionRemoved");
  assert.deepEqual((await s.emu.admin.subscriptions()).value, []);
  assert.equal(rx.received[0]!.body.value[0]!.lifecycleEvent, "subscriptionRemoved");
});

Deno.test("held notifications go out only on release, all of them, in order", async () => {
  await using s = await startSeeded();
  await using rx = startReceiver();
  const { client } = await signedInGraph(s);
  await client.api("/subscriptions").post({
    changeType: "created,updated",
    notificationUrl: `${rx.url}/notify`,
    resource: "me/contacts",
    expirationDateTime: inHours(24),
  });
  await s.emu.admin.holdNotifications();
  const c = await client.api("/me/contacts").post({ givenName: "Held" });
  await client.api(`/me/contacts/${c.id}`).patch({ givenName: "Still held" });
  await s.emu.admin.settleNotifications();
  assert.deepEqual(rx.received.filter((r) => r.path === "/notify"), [], "nothing delivered while held");
  await s.emu.admin.releaseNotifications();
  await s.emu.admin.settleNotifications();
  const items = rx.received.filter((r) => r.path === "/notify").flatMap((r) => r.body.value);
  assert.deepEqual(items.map((n) => n.changeType), ["created", "updated"]);
});
