import assert from "node:assert/strict";
import { EmulatorState } from "../state/state.ts";
import { CalendarError } from "./errors.ts";
import { CalendarMailbox } from "./events.ts";
import { instancesIn } from "./instances.ts";
import { renderEvent } from "./render.ts";

function setup() {
  const state = new EmulatorState();
  const tenant = state.addTenant({ domain: "contoso.test" });
  const user = state.addUser({
    tenantId: tenant.id,
    userPrincipalName: "adele@contoso.test",
    displayName: "Adele Vance",
  });
  return { state, cal: new CalendarMailbox(state, user, () => Date.now()) };
}

const weekly = {
  subject: "Weekly sync",
  start: { dateTime: "2025-03-03T09:00:00", timeZone: "W. Europe Standard Time" },
  end: { dateTime: "2025-03-03T09:30:00", timeZone: "W. Europe Standard Time" },
  attendees: [{ emailAddress: { address: "alex@contoso.test", name: "Alex" }, type: "required" }],
  recurrence: {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
    range: { type: "numbered", startDate: "2025-03-03", numberOfOccurrences: 6 },
  },
};
const march = {
  start: Temporal.Instant.from("2025-03-01T00:00:00Z"),
  end: Temporal.Instant.from("2025-05-01T00:00:00Z"),
};

const graphError = (status: number, code: string) => (e: unknown) =>
  e instanceof CalendarError && e.status === status && e.code === code;

Deno.test("creating a meeting logs one invitation to every attendee", () => {
  const { state, cal } = setup();
  const { view } = cal.create(undefined, weekly);
  assert.equal(view.type, "seriesMaster");
  assert.deepEqual(state.mailLog.list().map((m) => [m.kind, m.to]), [["invitation", ["alex@contoso.test"]]]);
});

Deno.test("a create retried with the same transactionId returns the first event", () => {
  const { state, cal } = setup();
  const body = { ...weekly, transactionId: "tx-1" };
  const first = cal.create(undefined, body);
  const again = cal.create(undefined, body);
  assert.equal(again.created, false);
  assert.equal(again.view.item.id, first.view.item.id);
  assert.equal(cal.list().length, 1);
  assert.equal(state.mailLog.list().length, 1);
});

Deno.test("If-Match with an old change key answers 412 ErrorIrresolvableConflict", () => {
  const { cal } = setup();
  const { view } = cal.create(undefined, { ...weekly, attendees: [] });
  const stale = view.item.changeKey;
  cal.update(view.item.id, { subject: "Renamed" }, { ifMatch: `W/"${stale}"` });
  assert.throws(
    () => cal.update(view.item.id, { subject: "Again" }, { ifMatch: `W/"${stale}"` }),
    graphError(412, "ErrorIrresolvableConflict"),
  );
});

Deno.test("moving one occurrence makes an exception and cancelling another removes it from instances", () => {
  const { state, cal } = setup();
  const master = cal.create(undefined, weekly).view.item;
  const [, second, third] = instancesIn(master, march);
  const moved = cal.update(renderEvent(second!, {}).id as string, {
    start: { dateTime: "2025-03-11T14:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2025-03-11T14:30:00", timeZone: "W. Europe Standard Time" },
  });
  assert.equal(moved.type, "exception");
  cal.delete(renderEvent(third!, {}).id as string);
  const after = instancesIn(master, march);
  assert.deepEqual(after.map((v) => [v.type, new Date(v.core.startMs).toISOString()]), [
    ["occurrence", "2025-03-03T08:00:00.000Z"],
    ["exception", "2025-03-11T13:00:00.000Z"],
    ["occurrence", "2025-03-24T08:00:00.000Z"],
    ["occurrence", "2025-03-31T07:00:00.000Z"],
    ["occurrence", "2025-04-07T07:00:00.000Z"],
  ]);
  const rendered = renderEvent({ item: master, type: "seriesMaster", core: master.props }, {
    select: ["cancelledOccurrences"],
    expandExceptions: true,
  });
  assert.deepEqual(rendered.cancelledOccurrences, [`OID.${master.id}.2025-03-17`]);
  assert.equal((rendered.exceptionOccurrences as unknown[]).length, 1);
  assert.deepEqual(state.mailLog.list().map((m) => m.kind), ["invitation", "update", "cancellation"]);
});

Deno.test("an occurrence moved onto its neighbour's day answers ErrorOccurrenceCrossingBoundary", () => {
  const { cal } = setup();
  const master = cal.create(undefined, weekly).view.item;
  const second = instancesIn(master, march)[1]!;
  assert.throws(
    () =>
      cal.update(renderEvent(second, {}).id as string, {
        start: { dateTime: "2025-03-17T10:00:00", timeZone: "W. Europe Standard Time" },
        end: { dateTime: "2025-03-17T10:30:00", timeZone: "W. Europe Standard Time" },
      }),
    graphError(400, "ErrorOccurrenceCrossingBoundary"),
  );
});

Deno.test("patching only attendees mails only the attendees that changed", () => {
  const { state, cal } = setup();
  const { view } = cal.create(undefined, { ...weekly, recurrence: null });
  cal.update(view.item.id, {
    attendees: [
      { emailAddress: { address: "alex@contoso.test" }, type: "required" },
      { emailAddress: { address: "room1@contoso.test" }, type: "resource" },
    ],
  });
  assert.deepEqual(state.mailLog.list().slice(1).map((m) => [m.kind, m.to]), [["invitation", ["room1@contoso.test"]]]);
  const room = cal.get(view.item.id).core.attendees[1]!;
  assert.equal(room.status.response, "accepted");
  cal.update(view.item.id, { subject: "Moved to Friday" });
  assert.deepEqual(state.mailLog.list().at(-1)!.to, ["alex@contoso.test", "room1@contoso.test"]);
  cal.update(view.item.id, { reminderMinutesBeforeStart: 30 });
  assert.equal(state.mailLog.list().length, 3);
});

Deno.test("deleting or cancelling the organizer's meeting sends cancellations; an attendee may not cancel", () => {
  const { state, cal } = setup();
  const a = cal.create(undefined, { ...weekly, recurrence: null }).view.item;
  cal.cancel(a.id, "All hands instead");
  assert.equal(cal.find(a.id), undefined);
  assert.match(state.mailLog.list().at(-1)!.subject, /All hands instead/);
  const b = cal.create(undefined, { ...weekly, recurrence: null }).view.item;
  b.props.isOrganizer = false;
  assert.throws(() => cal.cancel(b.id, undefined), graphError(400, "ErrorInvalidRequest"));
});

Deno.test("isAllDay events must run midnight to midnight in one zone", () => {
  const { cal } = setup();
  const day = (s: string, e: string, tz2 = "UTC") => ({
    isAllDay: true,
    start: { dateTime: s, timeZone: "UTC" },
    end: { dateTime: e, timeZone: tz2 },
  });
  assert.ok(cal.create(undefined, day("2025-05-01T00:00:00", "2025-05-02T00:00:00")));
  assert.throws(
    () => cal.create(undefined, day("2025-05-01T08:00:00", "2025-05-02T00:00:00")),
    graphError(400, "ErrorPropertyValidationFailure"),
  );
  assert.throws(
    () => cal.create(undefined, day("2025-05-01T00:00:00", "2025-05-01T00:00:00")),
    graphError(400, "ErrorPropertyValidationFailure"),
  );
  assert.throws(
    () => cal.create(undefined, day("2025-05-01T00:00:00", "2025-05-02T00:00:00", "Pacific Standard Time")),
    graphError(400, "ErrorPropertyValidationFailure"),
  );
});

Deno.test("renderEvent() writes Graph's shape: etag from changeKey, seven-digit times, per-occurrence iCalUId", () => {
  const { cal } = setup();
  const master = cal.create(undefined, weekly).view.item;
  const body = renderEvent({ item: master, type: "seriesMaster", core: master.props }, { ownZone: true });
  assert.equal(body["@odata.etag"], `W/"${master.changeKey}"`);
  assert.deepEqual(body.start, { dateTime: "2025-03-03T09:00:00.0000000", timeZone: "W. Europe Standard Time" });
  assert.match(
    body.iCalUId as string,
    /^040000008200E00074C5B7101A82E00800000000[0-9A-F]{16}0{16}10000000[0-9A-F]{32}$/,
  );
  const [o1, o2] = instancesIn(master, march).map((v) => renderEvent(v, {}));
  assert.notEqual(o1!.iCalUId, o2!.iCalUId);
  assert.match(o1!.iCalUId as string, /^040000008200E00074C5B7101A82E00807E90303/);
  assert.deepEqual(o1!.start, { dateTime: "2025-03-03T08:00:00.0000000", timeZone: "UTC" });
  assert.equal(o1!.seriesMasterId, master.id);
  assert.equal(o1!.originalStart, "2025-03-03T08:00:00Z");
  assert.equal(o1!.type, "occurrence");
});

Deno.test("moving a series to another day keeps its pattern, moves its range start and drops its exceptions", () => {
  const { cal } = setup();
  const master = cal.create(undefined, weekly).view.item;
  const second = instancesIn(master, march)[1]!;
  cal.delete(renderEvent(second, {}).id as string);
  const moved = cal.update(master.id, {
    start: { dateTime: "2025-03-10T10:00:00", timeZone: "W. Europe Standard Time" },
    end: { dateTime: "2025-03-10T10:30:00", timeZone: "W. Europe Standard Time" },
  });
  assert.equal(moved.item.props.recurrence?.range.startDate, "2025-03-10");
  assert.deepEqual(moved.item.props.cancelled, []);
  const dates = instancesIn(master, march).map((v) => new Date(v.core.startMs).toISOString().slice(0, 16));
  assert.deepEqual(dates.slice(0, 2), ["2025-03-10T09:00", "2025-03-17T09:00"]);
  assert.equal(dates.length, 6);
});

Deno.test("PATCH recurrence null turns a series into a single instance; a recurrence turns a single into a series", () => {
  const { cal } = setup();
  const master = cal.create(undefined, weekly).view.item;
  assert.equal(cal.update(master.id, { recurrence: null }).type, "singleInstance");
  assert.equal(cal.update(master.id, { recurrence: weekly.recurrence }).type, "seriesMaster");
  assert.throws(() => cal.update(master.id, { transactionId: "late" }), graphError(400, "ErrorInvalidRequest"));
});
