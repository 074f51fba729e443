// An EventView as Graph's JSON, property order as in the docs' example responses
// (user-post-events.md), in the zone the request asked for.
import { applySelect, etagOf, formatDateTimeOffset } from "../graph/odata.ts";
import { occurrenceICalUId, occurrenceId, outlookOccurrenceId } from "./event_ids.ts";
import { type EventView, occurrenceView } from "./instances.ts";
import { formatGraphDateTime, instantToDateTimeTimeZone, parseGraphDateTime, requireZone, type Zone } from "./time.ts";

export interface RenderOptions {
  /** Zone for start/end: Prefer outlook.timezone, else UTC (or the event's own zone, see below). */
  zone?: Zone;
  /** POST/PATCH answers without a preference keep the event's zone (user-post-events.md examples). */
  ownZone?: boolean;
  immutableIds?: boolean;
  select?: string[];
  /** `$expand=exceptionOccurrences` (or `$select` naming it) on a series master. */
  expandExceptions?: boolean;
  /** `$expand=exceptionOccurrences($select=...)`: the properties of each exception. */
  exceptionSelect?: string[];
  /** Delta items carry `@odata.type`. */
  withType?: boolean;
}

const UTC: Zone = { name: "UTC", iana: "UTC" };

/** The id a client sees for the view's stored item (regular or immutable). */
export function shownItemId(view: EventView, o: RenderOptions): string {
  return o.immutableIds ? view.item.immutableId : view.item.id;
}

/** The id a client sees for the view itself (an occurrence id for occurrences and exceptions). */
export function shownId(view: EventView, o: RenderOptions): string {
  const itemId = shownItemId(view, o);
  return view.originalStartMs === undefined
    ? itemId
    : occurrenceId(itemId, Temporal.Instant.fromEpochMilliseconds(view.originalStartMs));
}

/** Renders one event. */
export function renderEvent(view: EventView, o: RenderOptions): Record<string, unknown> {
  const { item, core } = view;
  const p = item.props;
  const id = shownId(view, o);
  const isInstance = view.originalStartMs !== undefined;
  const originalStart = isInstance ? Temporal.Instant.fromEpochMilliseconds(view.originalStartMs!) : undefined;
  const out: Record<string, unknown> = {};
  if (o.withType) out["@odata.type"] = "#microsoft.graph.event";
  Object.assign(out, {
    "@odata.etag": etagOf(item.changeKey),
    id,
    createdDateTime: formatDateTimeOffset(item.createdAt),
    lastModifiedDateTime: formatDateTimeOffset(item.modifiedAt),
    changeKey: item.changeKey,
    categories: core.categories,
  });
  // Only returned when an app set it (event resource), except in delta items, which carry it as
  // null too (event-delta.md's example).
  if (p.transactionId !== undefined && !isInstance) out.transactionId = p.transactionId;
  else if (o.withType) out.transactionId = null;
  Object.assign(out, {
    originalStartTimeZone: p.start.timeZone,
    originalEndTimeZone: p.end.timeZone,
    iCalUId: originalStart
      ? occurrenceICalUId(p.iCalUId, originalStart.toZonedDateTimeISO(requireZone(p.start.timeZone).iana).toPlainDate())
      : p.iCalUId,
    reminderMinutesBeforeStart: core.reminderMinutesBeforeStart,
    isReminderOn: core.isReminderOn,
    hasAttachments: false,
    subject: core.subject,
    bodyPreview: bodyPreview(core.body),
    importance: core.importance,
    sensitivity: core.sensitivity,
    isAllDay: core.isAllDay,
    isCancelled: core.isCancelled,
    isOrganizer: core.isOrganizer,
    responseRequested: core.responseRequested,
    seriesMasterId: isInstance ? shownItemId(view, o) : null,
    showAs: core.showAs,
    type: view.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: core.isOnlineMeeting,
    onlineMeetingProvider: core.onlineMeetingProvider,
    allowNewTimeProposals: core.allowNewTimeProposals,
    isDraft: false,
    hideAttendees: core.hideAttendees,
  });
  if (originalStart) out.originalStart = originalStart.toString();
  Object.assign(out, {
    responseStatus: core.responseStatus,
    body: core.body,
    start: renderTime(core.start, core.startMs, core.isAllDay, o),
    end: renderTime(core.end, core.endMs, core.isAllDay, o),
    location: core.location,
    locations: core.locations,
    recurrence: view.type === "seriesMaster" ? p.recurrence ?? null : null,
    attendees: core.attendees,
    organizer: core.organizer,
    onlineMeeting: null,
  });
  const selected = applySelect(out, o.select);
  if (view.type === "seriesMaster") addSeriesNavigation(view, selected, o);
  return selected;
}

/** `cancelledOccurrences` ($select only) and `exceptionOccurrences` ($expand only) of a master. */
function addSeriesNavigation(view: EventView, out: Record<string, unknown>, o: RenderOptions): void {
  const p = view.item.props;
  const zone = requireZone(p.start.timeZone).iana;
  const selected = new Set((o.select ?? []).map((s) => s.toLowerCase()));
  if (selected.has("cancelledoccurrences")) {
    out.cancelledOccurrences = p.cancelled.map((ms) =>
      outlookOccurrenceId(
        shownItemId(view, o),
        Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate(),
      )
    );
  }
  if (o.expandExceptions) {
    out.exceptionOccurrences = Object.keys(p.exceptions)
      .map((k) => occurrenceView(view.item, Number(k)))
      .filter((v): v is EventView => v !== undefined)
      .map((v) => renderEvent(v, { ...o, select: o.exceptionSelect, expandExceptions: false }));
  }
}

/** All-day events stay midnight-to-midnight in any zone (jasonjoh, microsoft-graph-docs#1802). */
function renderTime(
  given: { dateTime: string; timeZone: string },
  ms: number,
  allDay: boolean,
  o: RenderOptions,
): { dateTime: string; timeZone: string } {
  const zone = o.zone ?? (o.ownZone ? requireZone(given.timeZone) : UTC);
  if (allDay) {
    const wall = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(requireZone(given.timeZone).iana);
    return { dateTime: formatGraphDateTime(wall.toPlainDate().toPlainDateTime()), timeZone: zone.name };
  }
  if (o.ownZone && !o.zone) {
    return { dateTime: formatGraphDateTime(parseGraphDateTime(given.dateTime)!), timeZone: zone.name };
  }
  return instantToDateTimeTimeZone(Temporal.Instant.fromEpochMilliseconds(ms), zone);
}

/** Plain text of the body, whitespace folded, at most 255 characters (Outlook's preview length). */
export function bodyPreview(body: { contentType: string; content: string }): string {
  const text = body.contentType === "html"
    ? body.content.replace(/<(head|style|script)[\s\S]*?<\/\1>/gi, "").replace(/<[^>]+>/g, " ")
      .replace(/&nbsp;/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")
    : body.content;
  return text.replace(/\s+/g, " ").trim().slice(0, 255);
}
