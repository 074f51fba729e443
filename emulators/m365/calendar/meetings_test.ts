// Meetings between two mailboxes of one tenant, through the real graph-client signed in as each
// user: attendee copies, organizer updates and cancellations reaching them, responses reaching
// the organizer (issue 9, "Emulator, where Exchange behaves so"; E4, E6, E12).
import assert from "node:assert/strict";
import { type Client, GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";
import { CalendarAdminClient } from "./admin_client.ts";

type Json = Record<string, unknown>;
type Page = { value: Json[] };

const BERLIN = "W. Europe Standard Time";
const WINDOW = "startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-30T00:00:00Z";

async function startMeetingBed() {
  const s = await startSeeded({ users: ["adele", "alex"] });
  const adele = await signedInGraph(s, "adele@contoso.test");
  const alex = await signedInGraph(s, "alex@contoso.test");
  const [adeleUser, alexUser] = s.users;
  return {
    adele: adele.client,
    alex: alex.client,
    adeleId: adeleUser!.id,
    alexId: alexUser!.id,
    calendarAdmin: new CalendarAdminClient(s.emu.admin),
    mails: async () => (await s.emu.admin.mailLog()).value,
    [Symbol.asyncDispose]: () => s.emu.stop(),
  };
}

const meeting = (o: Json = {}) => ({
  subject: "Viewing at Elm Street",
  body: { contentType: "text", content: "Bring the keys" },
  start: { dateTime: "2025-03-04T10:00:00", timeZone: BERLIN },
  end: { dateTime: "2025-03-04T11:00:00", timeZone: BERLIN },
  attendees: [
    { emailAddress: { address: "alex@contoso.test", name: "Alex" }, type: "required" },
    { emailAddress: { address: "buyer@example.com", name: "Buyer" }, type: "optional" },
  ],
  ...o,
});

const series = meeting({
  subject: "Weekly review",
  recurrence: {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["tuesday"] },
    range: { type: "numbered", startDate: "2025-03-04", numberOfOccurrences: 4 },
  },
});

/** The user's events of one meeting (the copy, for an attendee). */
async function copiesOf(client: Client, iCalUId: string): Promise<Json[]> {
  const page: Page = await client.api("/me/events").filter(`iCalUId eq '${iCalUId}'`).get();
  return page.value;
}

/** POSTs a response action (202, empty body); TEXT makes the graph-client read the body. */
async function act(client: Client, id: unknown, action: string, body: Json = {}): Promise<void> {
  await client.api(`/me/events/${id}/${action}`).responseType(ResponseType.TEXT).post(body);
}

function statusOf(event: Json, address: string): Json | undefined {
  return (event.attendees as Json[]).find((a) => (a.emailAddress as Json).address === address)?.status as Json;
}

Deno.test("a meeting with a colleague puts an attendee copy in their calendar, same iCalUId, own id (E12)", async () => {
  await using bed = await startMeetingBed();
  {
    const org: Json = await bed.adele.api("/me/events").post(meeting());
    const [copy, ...more] = await copiesOf(bed.alex, org.iCalUId as string);
    assert.equal(more.length, 0);
    assert.ok(copy);
    assert.notEqual(copy.id, org.id);
    assert.equal(copy.iCalUId, org.iCalUId);
    assert.equal(copy.isOrganizer, false);
    assert.deepEqual(copy.responseStatus, { response: "notResponded", time: "0001-01-01T00:00:00Z" });
    assert.equal(copy.showAs, "tentative");
    assert.deepEqual(copy.organizer, { emailAddress: { name: "adele", address: "adele@contoso.test" } });
    assert.equal(copy.subject, org.subject);
    assert.deepEqual(copy.start, { dateTime: "2025-03-04T09:00:00.0000000", timeZone: "UTC" });
    assert.deepEqual(statusOf(org, "alex@contoso.test"), { response: "none", time: "0001-01-01T00:00:00Z" });

    const view: Page = await bed.alex.api(`/me/calendarView?${WINDOW}`).get();
    assert.deepEqual(view.value.map((e) => e.id), [copy.id], "the copy is in alex's default calendar");
    const mails = await bed.mails();
    assert.deepEqual(mails.map((m) => [m.kind, m.fromUserId, m.to]), [
      ["invitation", bed.adeleId, ["alex@contoso.test", "buyer@example.com"]],
    ]);
    const across = await bed.calendarAdmin.meeting(org.iCalUId as string);
    assert.deepEqual(
      across.value.map((e) => [e.userPrincipalName, e.isOrganizer]).sort(),
      [["adele@contoso.test", true], ["alex@contoso.test", false]],
    );
  }
});

Deno.test("organizer updates reach the copy; removing the attendee cancels it, inviting again revives it", async () => {
  await using bed = await startMeetingBed();
  {
    const org: Json = await bed.adele.api("/me/events").post(meeting());
    const uid = org.iCalUId as string;
    const [before] = await copiesOf(bed.alex, uid);
    await bed.alex.api(`/me/events/${before!.id}`).patch({ reminderMinutesBeforeStart: 5, categories: ["Red"] });
    await bed.adele.api(`/me/events/${org.id}`).patch({
      subject: "Viewing moved",
      start: { dateTime: "2025-03-05T15:00:00", timeZone: BERLIN },
      end: { dateTime: "2025-03-05T16:00:00", timeZone: BERLIN },
      reminderMinutesBeforeStart: 60, // the organizer's own: not sent
    });
    const [moved] = await copiesOf(bed.alex, uid);
    assert.equal(moved!.id, before!.id, "an update changes the copy in place");
    assert.equal(moved!.subject, "Viewing moved");
    assert.deepEqual(moved!.start, { dateTime: "2025-03-05T14:00:00.0000000", timeZone: "UTC" });
    assert.equal(moved!.reminderMinutesBeforeStart, 5, "the attendee's reminder stays");
    assert.deepEqual(moved!.categories, ["Red"]);

    const others = (org.attendees as Json[]).filter((a) => (a.emailAddress as Json).address !== "alex@contoso.test");
    await bed.adele.api(`/me/events/${org.id}`).patch({ attendees: others });
    const [cancelled] = await copiesOf(bed.alex, uid);
    assert.equal(cancelled!.isCancelled, true, "a removed attendee's copy is cancelled, not deleted");
    assert.equal(cancelled!.subject, "Canceled: Viewing moved");

    await bed.adele.api(`/me/events/${org.id}`).patch({ attendees: org.attendees });
    const [revived] = await copiesOf(bed.alex, uid);
    assert.equal(revived!.id, before!.id);
    assert.equal(revived!.isCancelled, false);
    assert.equal(revived!.subject, "Viewing moved");
    assert.deepEqual(
      (await bed.mails()).map((m) => m.kind),
      ["invitation", "update", "cancellation", "invitation"],
    );
  }
});

Deno.test("accept and decline reach the organizer's attendee responses; a declined copy leaves the calendar (E6)", async () => {
  await using bed = await startMeetingBed();
  {
    const org: Json = await bed.adele.api("/me/events").post(meeting());
    const uid = org.iCalUId as string;
    const [copy] = await copiesOf(bed.alex, uid);
    await assert.rejects(
      act(bed.adele, org.id, "accept", { sendResponse: true }),
      (e) => e instanceof GraphError && e.statusCode === 400,
      "the organizer cannot answer their own meeting",
    );

    await act(bed.alex, copy!.id, "accept", { comment: "See you there", sendResponse: true });
    const [accepted] = await copiesOf(bed.alex, uid);
    assert.equal((accepted!.responseStatus as Json).response, "accepted");
    assert.equal(accepted!.showAs, "busy");
    const orgAfterAccept: Json = await bed.adele.api(`/me/events/${org.id}`).get();
    assert.equal(statusOf(orgAfterAccept, "alex@contoso.test")!.response, "accepted");
    assert.notEqual(orgAfterAccept.changeKey, org.changeKey, "response tracking changes the organizer's item");

    await act(bed.alex, copy!.id, "decline");
    assert.deepEqual(await copiesOf(bed.alex, uid), []);
    const orgAfterDecline: Json = await bed.adele.api(`/me/events/${org.id}`).get();
    assert.equal(statusOf(orgAfterDecline, "alex@contoso.test")!.response, "declined");
    const responses = (await bed.mails()).filter((m) => m.kind === "response");
    assert.deepEqual(responses.map((m) => [m.fromUserId, m.response, m.subject, m.to]), [
      [bed.alexId, "accepted", "Accepted: Viewing at Elm Street", ["adele@contoso.test"]],
      [bed.alexId, "declined", "Declined: Viewing at Elm Street", ["adele@contoso.test"]],
    ]);

    // An organizer update re-adds the meeting to the calendar of an attendee who declined.
    await bed.adele.api(`/me/events/${org.id}`).patch({ subject: "Second try" });
    const [again] = await copiesOf(bed.alex, uid);
    assert.equal(again!.subject, "Second try");
    assert.equal((again!.responseStatus as Json).response, "notResponded");
  }
});

Deno.test("an attendee deleting the copy declines it; a cancelled copy is deleted without a response", async () => {
  await using bed = await startMeetingBed();
  {
    const first: Json = await bed.adele.api("/me/events").post(meeting());
    const [copy] = await copiesOf(bed.alex, first.iCalUId as string);
    await bed.alex.api(`/me/events/${copy!.id}`).delete();
    const org: Json = await bed.adele.api(`/me/events/${first.id}`).get();
    assert.equal(statusOf(org, "alex@contoso.test")!.response, "declined");

    const second: Json = await bed.adele.api("/me/events").post(meeting({ subject: "Second" }));
    await bed.adele.api(`/me/events/${second.id}`).delete();
    const [cancelled] = await copiesOf(bed.alex, second.iCalUId as string);
    assert.equal(cancelled!.isCancelled, true, "the organizer's delete cancels the copy");
    assert.equal(cancelled!.subject, "Canceled: Second");
    await bed.alex.api(`/me/events/${cancelled!.id}`).delete();
    assert.deepEqual(await copiesOf(bed.alex, second.iCalUId as string), []);
    assert.deepEqual((await bed.mails()).map((m) => m.kind), [
      "invitation",
      "response",
      "invitation",
      "cancellation",
    ]);
  }
});

Deno.test("series: moved, cancelled and declined occurrences show on both sides", async () => {
  await using bed = await startMeetingBed();
  {
    const org: Json = await bed.adele.api("/me/events").post(series);
    const uid = org.iCalUId as string;
    const [copy] = await copiesOf(bed.alex, uid);
    assert.equal(copy!.type, "seriesMaster");
    const instances = async (client: Client, id: unknown): Promise<Json[]> =>
      ((await client.api(`/me/events/${id}/instances?${WINDOW}`).get()) as Page).value;
    const orgOccurrences = await instances(bed.adele, org.id);
    assert.equal((await instances(bed.alex, copy!.id)).length, 4);

    // The organizer moves the 2nd occurrence and deletes the 3rd.
    await bed.adele.api(`/me/events/${orgOccurrences[1]!.id}`).patch({
      start: { dateTime: "2025-03-12T10:00:00", timeZone: BERLIN },
      end: { dateTime: "2025-03-12T11:00:00", timeZone: BERLIN },
    });
    await bed.adele.api(`/me/events/${orgOccurrences[2]!.id}`).delete();
    const seen = await instances(bed.alex, copy!.id);
    assert.equal(seen.length, 4, "the cancelled occurrence stays, marked, until the attendee removes it");
    assert.deepEqual(seen.map((o) => [o.type, o.isCancelled, o.subject]), [
      ["occurrence", false, "Weekly review"],
      ["exception", false, "Weekly review"],
      ["exception", true, "Canceled: Weekly review"],
      ["occurrence", false, "Weekly review"],
    ]);
    assert.deepEqual(seen[1]!.start, { dateTime: "2025-03-12T09:00:00.0000000", timeZone: "UTC" });
    assert.equal(seen[1]!.iCalUId, orgOccurrences[1]!.iCalUId, "occurrences share their iCalUId too");

    // The attendee declines the 4th occurrence only.
    await act(bed.alex, seen[3]!.id, "decline", { sendResponse: true });
    assert.equal((await instances(bed.alex, copy!.id)).length, 3);
    const orgNow = await instances(bed.adele, org.id);
    assert.equal(statusOf(orgNow.at(-1)!, "alex@contoso.test")!.response, "declined");
    assert.equal(statusOf(orgNow[0]!, "alex@contoso.test")!.response, "none", "other occurrences keep theirs");
    const master: Json = await bed.adele.api(`/me/events/${org.id}`).get();
    assert.equal(statusOf(master, "alex@contoso.test")!.response, "none");
  }
});

Deno.test("admin: act as the attendee (respond, delete quietly) and list a meeting across mailboxes", async () => {
  await using bed = await startMeetingBed();
  {
    const org: Json = await bed.adele.api("/me/events").post(meeting());
    const uid = org.iCalUId as string;
    const [copy] = (await bed.calendarAdmin.events(bed.alexId, { iCalUId: uid })).value;
    assert.equal(copy!.isOrganizer, false);
    await bed.calendarAdmin.respond(bed.alexId, copy!.id as string, "tentativelyAccept");
    const rows = (await bed.calendarAdmin.meeting(uid)).value;
    const organizerRow = rows.find((r) => r.isOrganizer)!;
    assert.equal(statusOf(organizerRow, "alex@contoso.test")!.response, "tentativelyAccepted");
    assert.equal((rows.find((r) => !r.isOrganizer)!.responseStatus as Json).response, "tentativelyAccepted");

    await bed.calendarAdmin.deleteEvent(bed.alexId, copy!.id as string); // "delete without sending a response"
    assert.deepEqual((await bed.calendarAdmin.events(bed.alexId, { iCalUId: uid })).value, []);
    const after = (await bed.calendarAdmin.meeting(uid)).value;
    assert.equal(statusOf(after[0]!, "alex@contoso.test")!.response, "tentativelyAccepted", "no response was sent");
  }
});
