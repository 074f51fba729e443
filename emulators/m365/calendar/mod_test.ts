// End-to-end: the real @microsoft/microsoft-graph-client (signed in with MSAL) against the
// running emulator over HTTPS; setup through the admin API clients.
import assert from "node:assert/strict";
import { type Client, GraphError, PageIterator, ResponseType } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";
import { CalendarAdminClient } from "./admin_client.ts";

/** An emulator with one signed-in user (Calendars.ReadWrite) and the calendar admin client. */
async function startBed() {
  const s = await startSeeded();
  const { client } = await signedInGraph(s);
  const user = s.users[0]!;
  return {
    client,
    userId: user.id,
    calendarAdmin: new CalendarAdminClient(s.emu.admin),
    mails: async () => (await s.emu.admin.mailLog(user.id)).value,
    [Symbol.asyncDispose]: () => s.emu.stop(),
  };
}

type Json = Record<string, unknown>;
type Page = { value: Json[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string; "@odata.context"?: string };

const BERLIN = "W. Europe Standard Time";
const WINDOW = "startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-30T00:00:00Z";

const weeklySync = {
  subject: "Weekly sync",
  body: { contentType: "HTML", content: "<p>Agenda</p>" },
  start: { dateTime: "2025-03-03T09:00:00", timeZone: BERLIN },
  end: { dateTime: "2025-03-03T09:30:00", timeZone: BERLIN },
  attendees: [
    { emailAddress: { address: "alex@contoso.test", name: "Alex Wilber" }, type: "Required" },
    { emailAddress: { address: "megan@contoso.test", name: "Megan Bowen" }, type: "Optional" },
  ],
  recurrence: {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["Monday"] },
    range: { type: "numbered", startDate: "2025-03-03", numberOfOccurrences: 6 },
  },
};

/** Follows nextLinks to the end of one delta round; returns all items and the deltaLink. */
async function deltaRound(
  client: Client,
  url: string,
  pageSize = 2,
): Promise<{ items: Json[]; deltaLink: string; pages: number }> {
  const items: Json[] = [];
  let pages = 0;
  let next: string | undefined = url;
  for (;;) {
    const page: Page = await client.api(next!).header("Prefer", `odata.maxpagesize=${pageSize}`).get();
    pages++;
    assert.match(page["@odata.context"]!, /\$metadata#Collection\(event\)$/);
    assert.ok(page.value.length <= pageSize);
    items.push(...page.value);
    if (page["@odata.deltaLink"]) return { items, deltaLink: page["@odata.deltaLink"], pages };
    next = page["@odata.nextLink"];
    assert.ok(next, "a page without deltaLink has a nextLink");
  }
}

const removed = (items: Json[]) => items.filter((i) => i["@removed"]).map((i) => i.id as string);
const present = (items: Json[]) => items.filter((i) => !i["@removed"]);

Deno.test("a weekly series with one moved and one cancelled occurrence shows through instances and calendarView delta", async () => {
  await using bed = await startBed();
  {
    const master: Json = await bed.client.api("/me/events").post(weeklySync);
    assert.equal(master.type, "seriesMaster");
    assert.equal(master["@odata.etag"], `W/"${master.changeKey}"`);

    const before: Page = await bed.client.api(`/me/events/${master.id}/instances?${WINDOW}`).get();
    assert.equal(before.value.length, 6);
    assert.deepEqual(before.value.map((o) => (o.start as Json).dateTime).slice(3, 5), [
      "2025-03-24T08:00:00.0000000", // 09:00 CET
      "2025-03-31T07:00:00.0000000", // 09:00 CEST, after the DST change
    ]);
    const first = await deltaRound(bed.client, `/me/calendarView/delta?${WINDOW}`);
    assert.equal(first.items.length, 6);
    assert.ok(first.items.every((i) => i.type === "occurrence" && i["@odata.type"] === "#microsoft.graph.event"));
    assert.equal(first.pages, 3);

    // The user moves the 2nd occurrence in Outlook; the app cancels the 3rd through Graph.
    const moved = await bed.calendarAdmin.moveOccurrence(bed.userId, master.id as string, "2025-03-10", {
      start: { dateTime: "2025-03-11T14:00:00", timeZone: BERLIN },
      end: { dateTime: "2025-03-11T14:30:00", timeZone: BERLIN },
    });
    assert.equal(moved.type, "exception");
    const third = before.value[2]!;
    await bed.client.api(`/me/events/${third.id}`).delete();

    const after: Page = await bed.client.api(`/me/events/${master.id}/instances?${WINDOW}`)
      .header("Prefer", `outlook.timezone="${BERLIN}"`).get();
    assert.equal(after.value.length, 5);
    const exception = after.value.find((o) => o.type === "exception")!;
    assert.equal(exception.id, before.value[1]!.id, "an occurrence keeps its id when it becomes an exception");
    assert.deepEqual(exception.start, { dateTime: "2025-03-11T14:00:00.0000000", timeZone: BERLIN });
    assert.equal(exception.seriesMasterId, master.id);
    assert.ok(!after.value.some((o) => o.id === third.id));
    const got: Json = await bed.client.api(`/me/events/${master.id}`).select("cancelledOccurrences").get();
    assert.deepEqual(got.cancelledOccurrences, [`OID.${master.id}.2025-03-17`]);
    const expanded: Json = await bed.client.api(`/me/events/${master.id}`).expand("exceptionOccurrences").get();
    assert.deepEqual((expanded.exceptionOccurrences as Json[]).map((e) => e.id), [exception.id]);

    const second = await deltaRound(bed.client, first.deltaLink);
    assert.deepEqual(removed(second.items), [third.id]);
    const changed = present(second.items);
    assert.ok(changed.some((i) => i.id === exception.id && i.type === "exception"));
    assert.ok(!changed.some((i) => i.type === "seriesMaster"));
  }
});

Deno.test("a create retried with the same transactionId returns the same event", async () => {
  await using bed = await startBed();
  {
    const body = { ...weeklySync, recurrence: null, transactionId: "crm-appointment-42" };
    const a: Json = await bed.client.api("/me/events").post(body);
    const b: Json = await bed.client.api("/me/events").post(body);
    assert.equal(b.id, a.id);
    assert.equal(b.transactionId, "crm-appointment-42");
    const list: Page = await bed.client.api("/me/events").get();
    assert.equal(list.value.length, 1);
    assert.equal((await bed.mails()).length, 1, "the retry sends no second invitation");
  }
});

Deno.test("PATCH with a stale If-Match etag answers 412 ErrorIrresolvableConflict", async () => {
  await using bed = await startBed();
  {
    const ev: Json = await bed.client.api("/me/events").post({ ...weeklySync, recurrence: null, attendees: [] });
    const etag = ev["@odata.etag"] as string;
    const updated: Json = await bed.client.api(`/me/events/${ev.id}`).header("If-Match", etag).patch({ subject: "v2" });
    assert.notEqual(updated["@odata.etag"], etag);
    await assert.rejects(
      bed.client.api(`/me/events/${ev.id}`).header("If-Match", etag).patch({ subject: "v3" }),
      (e) => e instanceof GraphError && e.statusCode === 412 && e.code === "ErrorIrresolvableConflict",
    );
  }
});

Deno.test("calendarView delta walk: initial, change, delete, change outside the window, stale token 410", async () => {
  await using bed = await startBed();
  {
    const at = (day: string, subject: string) => ({
      subject,
      start: { dateTime: `${day}T10:00:00`, timeZone: "UTC" },
      end: { dateTime: `${day}T11:00:00`, timeZone: "UTC" },
    });
    const seeded = await bed.calendarAdmin.seedEvents(bed.userId, [
      at("2025-03-05", "a"),
      at("2025-03-06", "b"),
      at("2025-03-07", "c"),
      at("2025-09-01", "far"),
    ]);
    const [a, b, , far] = seeded.value;
    const raw = await bed.client.api(`/me/calendarView/delta?${WINDOW}`).responseType(ResponseType.RAW)
      .get() as Response;
    assert.match(raw.headers.get("Preference-Applied") ?? "", /odata\.track-changes/);
    const initial = await raw.json() as Page;
    assert.equal(initial.value.length, 3);
    const deltaLink = initial["@odata.deltaLink"]!;

    await bed.client.api(`/me/events/${a!.id}`).patch({ subject: "a, moved to room 2" });
    await bed.client.api(`/me/events/${b!.id}`).delete();
    await bed.client.api(`/me/events/${far!.id}`).patch({ subject: "far, renamed" });
    const outside: Json = await bed.client.api("/me/events").post(at("2025-10-01", "new, outside"));

    const next = await deltaRound(bed.client, deltaLink, 10);
    assert.deepEqual(present(next.items).map((i) => [i.id, i.subject]), [[a!.id, "a, moved to room 2"]]);
    assert.deepEqual(new Set(removed(next.items)), new Set([b!.id, far!.id, outside.id]));
    assert.deepEqual(next.items.find((i) => i.id === b!.id), {
      "@odata.type": "#microsoft.graph.event",
      id: b!.id,
      "@removed": { reason: "deleted" },
    });

    // Outlook keeps only the last few generations of a chain: the first deltaLink goes stale.
    let link = next.deltaLink;
    for (let i = 0; i < 3; i++) link = (await deltaRound(bed.client, link, 10)).deltaLink;
    await assert.rejects(
      bed.client.api(deltaLink).get(),
      (e) => e instanceof GraphError && e.statusCode === 410 && e.code === "SyncStateNotFound",
    );
    const quiet = await deltaRound(bed.client, link, 10);
    assert.equal(quiet.items.length, 0);
  }
});

Deno.test("the mail log counts invitations, updates and cancellations, and seeding sends none", async () => {
  await using bed = await startBed();
  {
    const mails = bed.mails;
    await bed.calendarAdmin.seedEvents(
      bed.userId,
      Array.from({ length: 25 }, () => ({ ...weeklySync, recurrence: null })),
    );
    assert.equal((await mails()).length, 0, "back-filled appointments mail nobody");

    const ev: Json = await bed.client.api("/me/events").post({ ...weeklySync, recurrence: null });
    await bed.client.api(`/me/events/${ev.id}`).patch({ reminderMinutesBeforeStart: 60 });
    await bed.client.api(`/me/events/${ev.id}`).patch({
      attendees: [
        { emailAddress: { address: "alex@contoso.test" }, type: "required" },
        { emailAddress: { address: "room-2@contoso.test" }, type: "resource" },
      ],
    });
    await bed.client.api(`/me/events/${ev.id}`).patch({ subject: "Weekly sync (moved)" });
    // 202 with an empty body: the graph-client leaves that body unread, so read it here.
    const accepted = await bed.client.api(`/me/events/${ev.id}/cancel`).responseType(ResponseType.RAW)
      .post({ comment: "Cancelled, see CRM" }) as Response;
    assert.equal(accepted.status, 202);
    await accepted.body?.cancel();
    assert.deepEqual((await mails()).map((m) => [m.kind, m.to]), [
      ["invitation", ["alex@contoso.test", "megan@contoso.test"]],
      ["invitation", ["room-2@contoso.test"]],
      ["cancellation", ["megan@contoso.test"]],
      ["update", ["alex@contoso.test", "room-2@contoso.test"]],
      ["cancellation", ["alex@contoso.test", "room-2@contoso.test"]],
    ]);
  }
});

Deno.test("Prefer outlook.timezone and IdType=ImmutableId shape the answer and are reported as applied", async () => {
  await using bed = await startBed();
  {
    const created = await bed.client.api("/me/events").header("Prefer", 'outlook.timezone="Pacific Standard Time"')
      .responseType(ResponseType.RAW).post({ ...weeklySync, recurrence: null, attendees: [] }) as Response;
    assert.equal(created.status, 201);
    assert.match(created.headers.get("Preference-Applied") ?? "", /outlook\.timezone="Pacific Standard Time"/);
    const ev = await created.json() as Json;
    assert.deepEqual(ev.start, { dateTime: "2025-03-03T00:00:00.0000000", timeZone: "Pacific Standard Time" });
    assert.equal(ev.originalStartTimeZone, BERLIN);
    const utc: Json = await bed.client.api(`/me/events/${ev.id}`).get();
    assert.deepEqual(utc.start, { dateTime: "2025-03-03T08:00:00.0000000", timeZone: "UTC" });
    const immutable: Json = await bed.client.api(`/me/events/${ev.id}`).header("Prefer", 'IdType="ImmutableId"').get();
    assert.notEqual(immutable.id, ev.id);
    const again: Json = await bed.client.api(`/me/events/${immutable.id}`).get();
    assert.equal(again.id, ev.id, "an immutable id finds the event; answers use regular ids unless asked");
  }
});

Deno.test("a second calendar has its own events, calendarView and extended-property lookup", async () => {
  await using bed = await startBed();
  {
    const calendars: Page = await bed.client.api("/me/calendars").get();
    assert.deepEqual(calendars.value.map((c) => [c.name, c.isDefaultCalendar]), [["Calendar", true]]);
    const crm: Json = await bed.client.api("/me/calendars").post({ name: "CRM" });
    const prop = "String {66f5a359-4659-4830-9070-00040ec6ac6e} Name CrmId";
    const ev: Json = await bed.client.api(`/me/calendars/${crm.id}/events`).post({
      subject: "Viewing",
      start: { dateTime: "2025-03-12T15:00:00", timeZone: "UTC" },
      end: { dateTime: "2025-03-12T16:00:00", timeZone: "UTC" },
      singleValueExtendedProperties: [{ id: prop, value: "appt-7" }],
    });
    const inDefault: Page = await bed.client.api(`/me/calendarView?${WINDOW}`).get();
    assert.equal(inDefault.value.length, 0);
    const inCrm: Page = await bed.client.api(`/me/calendars/${crm.id}/calendarView?${WINDOW}`).get();
    assert.deepEqual(inCrm.value.map((e) => e.id), [ev.id]);
    const found: Page = await bed.client.api(`/me/calendars/${crm.id}/events`)
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${prop}' and ep/value eq 'appt-7')`).get();
    assert.deepEqual(found.value.map((e) => e.id), [ev.id]);
    assert.equal(found.value[0]!.singleValueExtendedProperties, undefined);
    const expanded: Json = await bed.client.api(`/me/events/${ev.id}`)
      .expand(`singleValueExtendedProperties($filter=id eq '${prop}')`).get();
    assert.deepEqual(expanded.singleValueExtendedProperties, [{ id: prop, value: "appt-7" }]);
    const delta = await deltaRound(bed.client, `/me/calendars/${crm.id}/calendarView/delta?${WINDOW}`);
    assert.deepEqual(delta.items.map((e) => e.id), [ev.id]);
  }
});

Deno.test("Graph-style 400s: bad recurrence, all-day not at midnight, unknown property, missing window", async () => {
  await using bed = await startBed();
  {
    const refused = (p: Promise<unknown>, code: string) =>
      assert.rejects(p, (e) => e instanceof GraphError && e.statusCode === 400 && e.code === code);
    await refused(
      bed.client.api("/me/events").post({
        ...weeklySync,
        recurrence: { ...weeklySync.recurrence, range: { ...weeklySync.recurrence.range, startDate: "2025-03-04" } },
      }),
      "ErrorInvalidRecurrenceRange",
    );
    await refused(
      bed.client.api("/me/events").post({
        ...weeklySync,
        recurrence: { pattern: { type: "weekly", interval: 1 }, range: weeklySync.recurrence.range },
      }),
      "ErrorInvalidRecurrencePattern",
    );
    await refused(
      bed.client.api("/me/events").post({ ...weeklySync, recurrence: null, isAllDay: true }),
      "ErrorPropertyValidationFailure",
    );
    await refused(bed.client.api("/me/events").post({ ...weeklySync, subjekt: "typo" }), "RequestBodyRead");
    await refused(bed.client.api("/me/calendarView").get(), "ErrorInvalidParameter");
  }
});

Deno.test("calendarView pages by odata.maxpagesize and the graph-client PageIterator follows the nextLinks", async () => {
  await using bed = await startBed();
  await bed.client.api("/me/events").post({ ...weeklySync, attendees: [] });
  const options = { headers: { Prefer: "odata.maxpagesize=4" } };
  const raw = await bed.client.api(`/me/calendarView?${WINDOW}`).headers(options.headers)
    .responseType(ResponseType.RAW).get() as Response;
  assert.match(raw.headers.get("Preference-Applied") ?? "", /odata\.maxpagesize=4/);
  const first = await raw.json() as Page;
  assert.equal(first.value.length, 4);
  const seen: string[] = [];
  await new PageIterator(bed.client, first, (e: Json) => {
    seen.push((e.start as Json).dateTime as string);
    return true;
  }, options).iterate();
  assert.equal(seen.length, 6);
  assert.deepEqual([...seen].sort(), seen, "calendarView lists instances in start order");
});

Deno.test("/me/events honours $orderby on start/dateTime", async () => {
  await using bed = await startBed();
  for (const day of ["2025-03-12", "2025-03-10", "2025-03-11"]) {
    await bed.client.api("/me/events").post({
      subject: day,
      start: { dateTime: `${day}T10:00:00`, timeZone: "UTC" },
      end: { dateTime: `${day}T11:00:00`, timeZone: "UTC" },
    });
  }
  const list: Page = await bed.client.api("/me/events").orderby("start/dateTime desc").get();
  assert.deepEqual(list.value.map((e) => e.subject), ["2025-03-12", "2025-03-11", "2025-03-10"]);
});

Deno.test("events can be created and read through $batch, each item answered on its own", async () => {
  await using bed = await startBed();
  const body = (subject: string) => ({
    subject,
    start: { dateTime: "2025-03-12T10:00:00", timeZone: "UTC" },
    end: { dateTime: "2025-03-12T11:00:00", timeZone: "UTC" },
  });
  const answer = await bed.client.api("/$batch").post({
    requests: [
      {
        id: "1",
        method: "POST",
        url: "/me/events",
        headers: { "Content-Type": "application/json" },
        body: body("one"),
      },
      {
        id: "2",
        method: "POST",
        url: "/me/events",
        headers: { "Content-Type": "application/json" },
        body: body("two"),
      },
      { id: "3", method: "GET", url: `/me/calendarView?${WINDOW}`, dependsOn: ["1", "2"] },
    ],
  }) as { responses: { id: string; status: number; body: Json }[] };
  const byId = new Map(answer.responses.map((r) => [r.id, r]));
  assert.equal(byId.get("1")!.status, 201);
  assert.equal(byId.get("2")!.status, 201);
  assert.equal(byId.get("3")!.status, 200);
  assert.deepEqual((byId.get("3")!.body as Page).value.map((e) => e.subject).sort(), ["one", "two"]);
});

Deno.test("a seeded copy of someone else's meeting is not the user's to cancel; deleting it only declines", async () => {
  await using bed = await startBed();
  const [copy] = (await bed.calendarAdmin.seedEvents(bed.userId, [{
    subject: "Owner's viewing",
    start: { dateTime: "2025-03-12T10:00:00", timeZone: "UTC" },
    end: { dateTime: "2025-03-12T11:00:00", timeZone: "UTC" },
    organizer: { emailAddress: { address: "boss@contoso.test", name: "Boss" } },
    attendees: [{ emailAddress: { address: "adele@contoso.test" }, type: "required" }],
  }])).value;
  const ev: Json = await bed.client.api(`/me/events/${copy!.id}`).get();
  assert.equal(ev.isOrganizer, false);
  assert.deepEqual(ev.responseStatus, { response: "notResponded", time: "0001-01-01T00:00:00Z" });
  const refused = bed.client.api(`/me/events/${copy!.id}/cancel`).post({});
  await assert.rejects(refused, (e) => e instanceof GraphError && e.statusCode === 400);
  await bed.client.api(`/me/events/${copy!.id}`).delete();
  // An attendee's delete through Graph answers the organizer with a decline (graph-facts §2.4).
  assert.deepEqual((await bed.mails()).map((m) => [m.kind, m.response, m.to]), [
    ["response", "declined", ["boss@contoso.test"]],
  ]);
});
