// Reading a client's event JSON (POST or PATCH body) into stored form, with Graph's checks:
// enum members case-insensitive, unknown properties refused, isAllDay only midnight-to-midnight
// in one zone, end not before start.
import { parseJson } from "../graph/body.ts";
import { int32From } from "../graph/values.ts";
import { CalendarError, validationError } from "./errors.ts";
import { EventInputSchema } from "./event_schema.ts";
import type { Attendee, AttendeeType, EmailAddress, EventCore, Location } from "./event_model.ts";
import { NO_TIME } from "./event_model.ts";
import { formatGraphDateTime, parseDateTimeTimeZone, wallToInstant } from "./time.ts";

/** A parsed body: the core fields given, plus the parts handled outside EventCore. */
export interface EventInput {
  core: Partial<EventCore>;
  /** `undefined` = not given; `null` = remove the recurrence. */
  recurrence?: unknown;
  transactionId?: string;
  extendedProperties?: { id: string; value: string }[];
}

const ENUMS = {
  importance: ["low", "normal", "high"],
  sensitivity: ["normal", "personal", "private", "confidential"],
  showAs: ["unknown", "free", "tentative", "busy", "oof", "workingElsewhere"],
  onlineMeetingProvider: ["unknown", "skypeForBusiness", "skypeForConsumer", "teamsForBusiness"],
} as const;

/** Parses a POST/PATCH body. @throws CalendarError or the core's GraphError, 400, on anything Graph would refuse. */
export function parseEventInput(body: unknown, now: number): EventInput {
  const b = parseJson(EventInputSchema, body, "microsoft.graph.event") as Record<string, unknown>;
  const core: Partial<EventCore> = {};
  const input: EventInput = { core };
  if ("subject" in b) core.subject = str(b.subject, "subject");
  if ("body" in b) core.body = itemBody(b.body);
  if ("start" in b) core.start = dtz(b.start, "start");
  if ("end" in b) core.end = dtz(b.end, "end");
  if ("isAllDay" in b) core.isAllDay = bool(b.isAllDay, "isAllDay");
  for (const k of ["isReminderOn", "responseRequested", "allowNewTimeProposals", "hideAttendees", "isOnlineMeeting"]) {
    if (k in b) (core as Record<string, unknown>)[k] = bool(b[k], k);
  }
  if ("reminderMinutesBeforeStart" in b) {
    const v = int32From(b.reminderMinutesBeforeStart);
    if (v === undefined || v < 0) throw validationError("reminderMinutesBeforeStart must be a non-negative Int32.");
    core.reminderMinutesBeforeStart = v;
  }
  for (const k of Object.keys(ENUMS) as (keyof typeof ENUMS)[]) {
    if (k in b) (core as Record<string, unknown>)[k] = enumOf(b[k], ENUMS[k], k);
  }
  if ("categories" in b) {
    if (!Array.isArray(b.categories) || b.categories.some((c) => typeof c !== "string")) {
      throw validationError("categories must be a collection of strings.");
    }
    core.categories = b.categories as string[];
  }
  if ("location" in b) core.location = location(b.location, "private");
  if ("locations" in b) {
    if (!Array.isArray(b.locations)) throw validationError("locations must be a collection.");
    core.locations = b.locations.map((l) => locationsEntry(location(l, "unknown")));
  }
  if ("attendees" in b) core.attendees = attendees(b.attendees, now);
  if ("recurrence" in b) input.recurrence = b.recurrence;
  if ("transactionId" in b && b.transactionId !== null) input.transactionId = str(b.transactionId, "transactionId");
  if ("singleValueExtendedProperties" in b) input.extendedProperties = extended(b.singleValueExtendedProperties);
  return input;
}

/**
 * Recomputes startMs/endMs after start/end/isAllDay changed and checks Graph's rules.
 * @throws CalendarError 400 when the times are not acceptable.
 */
export function settleTimes(core: EventCore): void {
  const s = parseDateTimeTimeZone(core.start, "start");
  const e = parseDateTimeTimeZone(core.end, "end");
  core.start = { dateTime: formatGraphDateTime(s.wall), timeZone: s.zone.name };
  core.end = { dateTime: formatGraphDateTime(e.wall), timeZone: e.zone.name };
  core.startMs = wallToInstant(s.wall, s.zone.iana).epochMilliseconds;
  core.endMs = wallToInstant(e.wall, e.zone.iana).epochMilliseconds;
  if (core.endMs < core.startMs) throw validationError("The end of the event is before its start.");
  if (core.isAllDay) {
    const midnight = (w: Temporal.PlainDateTime) => w.toPlainTime().equals(new Temporal.PlainTime());
    if (
      !midnight(s.wall) || !midnight(e.wall) || s.zone.iana !== e.zone.iana ||
      !s.wall.toPlainDate().until(e.wall.toPlainDate()).days
    ) {
      throw validationError("An all-day event must start and end at midnight in the same time zone.");
    }
  }
}

/** Keeps `location` and `locations` corresponding, as Graph does. */
export function reconcileLocations(core: EventCore, gave: { location: boolean; locations: boolean }): void {
  if (gave.location && !gave.locations) {
    core.locations = core.location.displayName ? [locationsEntry({ ...core.location, uniqueIdType: undefined })] : [];
  } else if (gave.locations && !gave.location) {
    const name = core.locations.map((l) => l.displayName).filter(Boolean).join("; ");
    core.location = location({ displayName: name }, "private");
  }
}

function str(v: unknown, field: string): string {
  if (v === null) return "";
  if (typeof v !== "string") throw validationError(`${field} must be a string.`);
  return v;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== "boolean") throw validationError(`${field} must be true or false.`);
  return v;
}

function enumOf<T extends string>(v: unknown, members: readonly T[], field: string): T {
  const found = typeof v === "string" ? members.find((m) => m.toLowerCase() === v.toLowerCase()) : undefined;
  if (!found) {
    throw new CalendarError(400, "RequestBodyRead", `Requested value '${String(v)}' was not found for '${field}'.`);
  }
  return found;
}

function dtz(v: unknown, field: string) {
  const { wall, zone } = parseDateTimeTimeZone(v, field);
  return { dateTime: formatGraphDateTime(wall), timeZone: zone.name };
}

function itemBody(v: unknown): EventCore["body"] {
  if (v === null) return { contentType: "text", content: "" };
  if (typeof v !== "object" || Array.isArray(v)) throw validationError("body must be an itemBody.");
  const b = v as Record<string, unknown>;
  const contentType = b.contentType === undefined
    ? "text"
    : enumOf(b.contentType, ["text", "html"] as const, "contentType");
  const content = str(b.content ?? "", "body.content");
  return { contentType, content: contentType === "html" ? htmlDocument(content) : content };
}

/**
 * Exchange stores an HTML body as a whole document: user-post-events.md's answers wrap the
 * fragment that was sent in `<html><head>…</head><body>…</body></html>` (its third example's
 * form is used; the exact wrapper varies between the examples and is UNVERIFIED). A body that
 * already is a document is kept as sent.
 */
export function htmlDocument(content: string): string {
  if (/^\s*(<!doctype[^>]*>\s*)?<html[\s>]/i.test(content)) return content;
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${content}\r\n</body>\r\n</html>\r\n`;
}

/**
 * An entry of `locations` as user-post-events.md answers it: a located one (with an address or
 * coordinates) gets `uniqueId` = its name and `uniqueIdType: "private"`; a bare name gets no
 * `uniqueId` and `uniqueIdType: "unknown"`.
 */
function locationsEntry(l: Location): Location {
  const filled = (v: unknown) => typeof v === "object" && v !== null && Object.keys(v).length > 0;
  const { uniqueId, uniqueIdType, ...rest } = l;
  if (filled(l.address) || filled(l.coordinates)) {
    const type = uniqueIdType && uniqueIdType !== "unknown" ? uniqueIdType : "private";
    return { ...rest, uniqueId: uniqueId ?? l.displayName, uniqueIdType: type };
  }
  return { ...rest, uniqueIdType: uniqueIdType && uniqueIdType !== "private" ? uniqueIdType : "unknown" };
}

/** A location in Graph's response form (`uniqueIdType` private for `location`, unknown in `locations`). */
export function location(v: unknown, uniqueIdType: "private" | "unknown"): Location {
  if (v === null || v === undefined) v = {};
  if (typeof v !== "object" || Array.isArray(v)) throw validationError("location must be a location object.");
  const l = v as Record<string, unknown>;
  const displayName = str(l.displayName ?? "", "location.displayName");
  const out: Location = { ...l, displayName, locationType: l.locationType ?? "default" };
  if (typeof out.locationType === "string") {
    out.locationType = out.locationType.charAt(0).toLowerCase() + out.locationType.slice(1);
  }
  if (!displayName) {
    return { displayName: "", locationType: "default", uniqueIdType: "unknown", address: {}, coordinates: {} };
  }
  if (uniqueIdType === "private") out.uniqueId = l.uniqueId ?? displayName;
  out.uniqueIdType = l.uniqueIdType ?? uniqueIdType;
  return out;
}

function attendees(v: unknown, now: number): Attendee[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw validationError("attendees must be a collection.");
  return v.map((a): Attendee => {
    if (typeof a !== "object" || a === null) throw validationError("attendee must be an object.");
    const r = a as Record<string, unknown>;
    const email = emailAddress(r.emailAddress);
    const type: AttendeeType = r.type === undefined || r.type === null
      ? "required"
      : enumOf(r.type, ["required", "optional", "resource"] as const, "attendee.type");
    // Resource mailboxes auto-accept (user-post-events.md); people start with "none".
    const status = type === "resource"
      ? { response: "accepted" as const, time: new Date(now).toISOString().replace(/\.\d+Z$/, "Z") }
      : { response: "none" as const, time: NO_TIME };
    return { type, status, emailAddress: email };
  });
}

function emailAddress(v: unknown): EmailAddress {
  if (typeof v !== "object" || v === null) throw validationError("attendee.emailAddress is required.");
  const e = v as Record<string, unknown>;
  const address = str(e.address ?? "", "emailAddress.address");
  if (!/^[^@\s]+@[^@\s]+$/.test(address)) throw validationError(`'${address}' is not a valid email address.`);
  return { name: str(e.name ?? address, "emailAddress.name") || address, address };
}

function extended(v: unknown): { id: string; value: string }[] {
  if (!Array.isArray(v)) throw validationError("singleValueExtendedProperties must be a collection.");
  return v.map((p) => {
    const r = (p ?? {}) as Record<string, unknown>;
    if (typeof r.id !== "string" || typeof r.value !== "string") {
      throw validationError("A singleValueExtendedProperty needs a string id and value.");
    }
    return { id: r.id, value: r.value };
  });
}
