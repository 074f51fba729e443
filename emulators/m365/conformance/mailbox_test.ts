// Conformance: mailbox settings, subscriptions, meeting responses and the identity platform's
// token endpoint, from their pages' examples.
import assert from "node:assert/strict";
import { CLIENT_ID, CLIENT_SECRET, msalFor, signIn } from "../testdata/harness.ts";
import { assertDocShape, DOC_SCOPES, type Json, startDocBed } from "./doc_shape.ts";
import { startReceiver } from "../testdata/receiver.ts";

Deno.test("user-get-mailboxsettings.md: all settings, one object setting, one string setting (value), and the permission", async () => {
  await using bed = await startDocBed();
  await bed.s.emu.admin.call("PATCH", `/users/${bed.userId}/mailbox-settings`, { timeZone: "W. Europe Standard Time" });
  const all = await bed.call("GET", "/me/mailboxSettings");
  assert.equal(all.status, 200);
  assertDocShape(all.body, {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Me/mailboxSettings",
    automaticRepliesSetting: {
      status: "Scheduled",
      externalAudience: "All",
      scheduledStartDateTime: { dateTime: "2016-03-14T07:00:00.0000000", timeZone: "UTC" },
      scheduledEndDateTime: { dateTime: "2016-03-28T07:00:00.0000000", timeZone: "UTC" },
      internalReplyMessage: "<html>…</html>",
      externalReplyMessage: "<html>…</html>",
    },
    timeZone: "UTC",
    language: { locale: "en-US", displayName: "English (United States)" },
    workingHours: {
      daysOfWeek: ["monday"],
      startTime: "08:00:00.0000000",
      endTime: "17:00:00.0000000",
      timeZone: { name: "Pacific Standard Time" },
    },
    userPurpose: { value: "user" },
    dateFormat: "MM/dd/yyyy",
    timeFormat: "hh:mm tt",
    delegateMeetingMessageDeliveryOptions: "sendToDelegateOnly",
  });
  assert.equal(all.body.timeZone, "W. Europe Standard Time");
  const purpose = await bed.call("GET", "/me/mailboxSettings/userPurpose");
  assert.deepEqual(purpose.body, {
    "@odata.context": `${bed.s.emu.url}/v1.0/$metadata#users('${bed.userId}')/mailboxSettings/userPurpose`,
    value: "user",
  });
  const zone = await bed.call("GET", "/me/mailboxSettings/timeZone");
  assert.equal(zone.body.value, "W. Europe Standard Time");
  const hours = await bed.call("GET", "/me/mailboxSettings/workingHours");
  assertDocShape(hours.body, {
    "@odata.context": "c",
    daysOfWeek: ["monday"],
    startTime: "s",
    endTime: "e",
    timeZone: {},
  });
  const patched = await bed.call("PATCH", "/me/mailboxSettings", { body: { timeZone: "Pacific Standard Time" } });
  assert.deepEqual([patched.status, patched.body.timeZone], [200, "Pacific Standard Time"]);

  // Contacts and calendars permissions alone are not enough (MailboxSettings.Read is documented).
  const msal = msalFor(bed.s.emu, bed.s.tenantId);
  const narrow = await signIn(msal, bed.s.users[0]!.userPrincipalName, ["Calendars.ReadWrite"]);
  const refused = await fetch(`${bed.s.emu.url}/v1.0/me/mailboxSettings`, {
    headers: { authorization: `Bearer ${narrow.accessToken}` },
  });
  await refused.body?.cancel();
  assert.equal(refused.status, 403);
});

Deno.test("subscription-post-subscriptions.md: 201 with the documented keys, notificationContentType among them", async () => {
  await using bed = await startDocBed();
  await using hook = startReceiver();
  const res = await bed.call("POST", "/subscriptions", {
    body: {
      changeType: "created",
      notificationUrl: hook.url,
      resource: "me/contacts",
      expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      clientState: "secretClientValue",
      latestSupportedTlsVersion: "v1_2",
    },
  });
  assert.equal(res.status, 201);
  assertDocShape(res.body, {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
    id: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
    resource: "me/mailFolders('Inbox')/messages",
    applicationId: "24d3b144-21ae-4080-943f-7067b395b913",
    changeType: "created",
    clientState: "secretClientValue",
    notificationUrl: "https://webhook.azurewebsites.net/api/send/myNotifyClient",
    expirationDateTime: "2016-11-20T18:23:45.9356913Z",
    creatorId: "8ee44408-0679-472c-bc2a-692812af3437",
    latestSupportedTlsVersion: "v1_2",
    notificationContentType: "application/json",
  });
  assert.equal(res.body.notificationContentType, "application/json");
  assert.equal(res.body.applicationId, CLIENT_ID);
});

Deno.test("event-accept.md and event-decline.md: 202 with no body; proposedNewTime without sendResponse is 400", async () => {
  await using bed = await startDocBed({ users: ["adele", "alex"] });
  const organizer = await signInAs(bed, "alex@contoso.test");
  const created = await organizer("POST", "/me/events", {
    subject: "Viewing",
    start: { dateTime: "2019-12-02T18:00:00", timeZone: "Pacific Standard Time" },
    end: { dateTime: "2019-12-02T19:00:00", timeZone: "Pacific Standard Time" },
    attendees: [{ emailAddress: { address: "adele@contoso.test" }, type: "required" }],
  });
  const copy = ((await bed.call("GET", `/me/events?$filter=iCalUId eq '${created.iCalUId}'`)).body.value as Json[])[0]!;
  const accepted = await fetch(`${bed.s.emu.url}/v1.0/me/events/${copy.id}/accept`, {
    method: "POST",
    headers: { authorization: `Bearer ${bed.token}`, "content-type": "application/json" },
    body: JSON.stringify({ comment: "comment-value", sendResponse: true }),
  });
  assert.equal(accepted.status, 202);
  assert.equal(await accepted.text(), "", "It does not return anything in the response body.");
  const proposal = {
    start: { dateTime: "2019-12-02T18:00:00", timeZone: "Pacific Standard Time" },
    end: { dateTime: "2019-12-02T19:00:00", timeZone: "Pacific Standard Time" },
  };
  const refused = await bed.call("POST", `/me/events/${copy.id}/decline`, {
    body: { comment: "Next week?", sendResponse: false, proposedNewTime: proposal },
  });
  assert.equal(refused.status, 400, "proposedNewTime requires sendResponse true");
  const declined = await bed.call("POST", `/me/events/${copy.id}/decline`, {
    body: {
      comment: "I won't be able to make this week. How about next week?",
      sendResponse: true,
      proposedNewTime: proposal,
    },
  });
  assert.equal(declined.status, 202);
});

Deno.test("v2-oauth2-auth-code-flow.md: token answers carry the documented members; a refresh without scope keeps them", async () => {
  await using bed = await startDocBed();
  const msal = msalFor(bed.s.emu, bed.s.tenantId);
  await signIn(msal, bed.s.users[0]!.userPrincipalName, DOC_SCOPES);
  const cache = JSON.parse(msal.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
  const refreshToken = Object.values(cache.RefreshToken)[0]!.secret;
  const token = async (form: Record<string, string>) => {
    const res = await fetch(`${bed.s.emu.url}/${bed.s.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...form }),
    });
    return { status: res.status, body: await res.json() as Json };
  };
  const refreshed = await token({ grant_type: "refresh_token", refresh_token: refreshToken });
  assert.equal(refreshed.status, 200);
  assertDocShape(refreshed.body, {
    access_token: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik5HVEZ2ZEstZnl0aEV1Q...",
    token_type: "Bearer",
    expires_in: 3599,
    scope: "https%3A%2F%2Fgraph.microsoft.com%2Fmail.read",
    refresh_token: "AwABAAAAvPM1KaPlrEqdFSBzjqfTGAMxZGUTdM0t4B4...",
    id_token: "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiIyZDRkMTFhMi1mODE0LTQ2YTctOD...",
  });
  assert.equal(refreshed.body.token_type, "Bearer");
  const failed = await token({ grant_type: "refresh_token", refresh_token: "not-a-token" });
  assert.equal(failed.status, 400);
  assertDocShape(failed.body, {
    error: "invalid_grant",
    error_description: "AADSTS9002313: Invalid request.\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …",
    error_codes: [9002313],
    timestamp: "2016-01-09 02:02:12Z",
    trace_id: "8c4c1ae5-f9f0-4cab-9e48-6c4ee2ac1eaa",
    correlation_id: "3a0c0e01-4ba5-4e01-9dcc-0bd2ecf0e845",
  });
  assert.match(
    failed.body.error_description as string,
    /^AADSTS9002313: .*\r\nTrace ID: .*\r\nCorrelation ID: .*\r\nTimestamp: /s,
  );
});

/** A Graph caller signed in as another user of the bed's tenant. */
async function signInAs(bed: Awaited<ReturnType<typeof startDocBed>>, upn: string) {
  const msal = msalFor(bed.s.emu, bed.s.tenantId);
  const { accessToken } = await signIn(msal, upn, DOC_SCOPES);
  return async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${bed.s.emu.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return await res.json() as Json;
  };
}
