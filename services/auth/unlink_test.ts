// A7: unlinking stops sync, drops tokens and the app's Graph subscriptions, and leaves the data of
// both sides as it is.
import assert from "node:assert/strict";
import { NotLinkedError } from "@app/shared/errors";
import { createGraphClient } from "@app/shared/graph";
import { captureLogs } from "@app/shared/testing";
import { assertNoTokenIn, ofType, startAuthWorld } from "./testdata/world.ts";

Deno.test("unlinking deletes the app's subscriptions, drops the tokens and publishes the event (A7)", async () => {
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const token = new URL(req.url).searchParams.get("validationToken");
    await req.body?.cancel();
    return token === null
      ? new Response(null, { status: 202 })
      : new Response(token, { headers: { "content-type": "text/plain" } });
  });
  let issued: string[] = [];
  const { lines } = await captureLogs(async () => {
    const w = await startAuthWorld("authunlink", { alpha: true });
    const key = w.keys.alpha!;
    try {
      await w.call(key, "PUT", "/v1/users/anna/sync-right", { granted: true });
      await w.link(key, "anna", "adele@contoso.test");
      const { accessToken } = await w.token("alpha", "anna");
      const graph = createGraphClient({ baseUrl: w.emu.url, getAccessToken: () => Promise.resolve(accessToken) });
      const contact = await graph.api("/me/contacts").post({ givenName: "Olga", surname: "Owner" });
      const calendar = (await w.call(key, "GET", "/v1/users/anna/calendars")).body.items[0];
      await w.call(key, "PUT", "/v1/users/anna/settings", {
        calendar: { enabled: true, calendarId: calendar.id, includePastDays: 14 },
      });
      for (const resource of ["me/contacts", "me/events"]) {
        await graph.api("/subscriptions").post({
          changeType: "created,updated,deleted",
          notificationUrl: `http://127.0.0.1:${receiver.addr.port}/notify`,
          resource,
          expirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
          clientState: "crmsync",
        });
      }
      assert.equal((await w.emu.admin.subscriptions()).value.length, 2);

      const answer = await w.call(key, "DELETE", "/v1/users/anna/link");
      assert.equal(answer.status, 200);
      assert.equal(answer.body.wasLinked, true);
      assert.equal(answer.body.subscriptionsDeleted, 2);
      assert.equal(answer.body.link.state, "not_linked");
      assert.deepEqual((await w.emu.admin.subscriptions()).value, [], "the app holds no subscription for the user");

      assert.equal((await w.sql`select * from auth.accounts`).length, 0, "tokens dropped");
      const token = await w.token("alpha", "anna").catch((e) => e);
      assert.ok(token instanceof NotLinkedError);
      const status = await w.call(key, "GET", "/v1/users/anna");
      assert.equal(status.body.link.state, "not_linked");
      assert.equal(status.body.hasSyncRight, true, "the right stays");
      assert.deepEqual(status.body.settings.calendar, { enabled: false, calendarId: null, includePastDays: 14 });

      // Outlook keeps its data: the contact is still in the mailbox.
      const kept = await w.emu.admin.contacts("adele@contoso.test");
      assert.ok(kept.value.some((c) => c.id === contact.id));

      await w.settled();
      assert.deepEqual(ofType(await w.events(), "auth.account.unlinked").map((e) => e.data), [{ userId: "anna" }]);

      const again = await w.call(key, "DELETE", "/v1/users/anna/link");
      assert.equal(again.status, 200);
      assert.equal(again.body.wasLinked, false);
      issued = w.issuedTokens();
    } finally {
      await w.close();
    }
  });
  await receiver.shutdown();
  assertNoTokenIn(lines.join("\n"), issued);
});
