// Event use cases on one mailbox: create (with transactionId idempotency), read, update, delete
// and cancel of single instances, series masters, occurrences and exceptions. Every write goes
// through the core's ItemStore (change key, change log) and logs the mails Graph would send.
import type { User } from "../state/directory.ts";
import type { Folder } from "../state/folders.ts";
import type { OutlookItem } from "../state/items.ts";
import type { MailLog } from "../state/mail_log.ts";
import type { Mailbox } from "../state/mailbox.ts";
import type { EmulatorState } from "../state/state.ts";
import { CalendarError } from "./errors.ts";
import { newICalUId, parseOccurrenceId } from "./event_ids.ts";
import { parseEventInput, reconcileLocations, settleTimes } from "./event_input.ts";
import { CALENDAR_KIND, copyCore, EVENT_KIND, type EventCore, type EventProps } from "./event_model.ts";
import { checkIfMatch, defaults, keepResponses, notFound, pick } from "./event_rules.ts";
import { type EventItem, type EventView, itemView, occurrenceView, seriesOf } from "./instances.ts";
import { mailsForCancellation, mailsForCreate, mailsForUpdate, type PlannedMail } from "./invitations.ts";
import { MeetingDelivery } from "./meeting_delivery.ts";
import { answeredStatus, type MeetingResponse, responseSubject } from "./meetings.ts";
import { normalizeRecurrence } from "./recurrence.ts";
import { checkOccurrenceMove } from "./occurrence_rules.ts";
import { requireZone } from "./time.ts";

export { CALENDAR_KIND, EVENT_KIND };

/** The default calendar's well-known name. */
const WELL_KNOWN_CALENDAR = "calendar";

interface CalendarState {
  /** transactionId → immutable id of the event it created. */
  transactions: Record<string, string>;
}

/** Mail-sending switch for admin actions that play a user in Outlook. */
export interface WriteOptions {
  ifMatch?: string | null;
  sendMail?: boolean;
}

/** How an attendee answers: Graph's `accept`/`tentativelyAccept`/`decline` bodies. */
export interface RespondOptions {
  /** Send the response to the organizer (Graph's default: true). */
  sendResponse?: boolean;
  comment?: string;
}

/**
 * The calendar part of one mailbox. Meetings reach colleagues' mailboxes of the same tenant
 * (attendee copies, cancellations, responses) through `state`, as Exchange delivers them.
 */
export class CalendarMailbox {
  readonly mailbox: Mailbox;
  private readonly mailLog: MailLog;
  private readonly delivery: MeetingDelivery;

  constructor(
    private readonly state: EmulatorState,
    readonly owner: User,
    private readonly now: () => number = state.now,
  ) {
    this.mailbox = state.mailbox(owner.id);
    this.mailLog = state.mailLog;
    this.delivery = new MeetingDelivery(state, now);
  }

  get #state(): CalendarState {
    return this.mailbox.moduleState<CalendarState>("calendar", () => ({ transactions: {} }));
  }

  /** The default calendar ("Calendar"), made on first use. */
  defaultCalendar(): Folder {
    return this.mailbox.folders.defaultOf(CALENDAR_KIND, "Calendar");
  }

  /**
   * A calendar by id, or by the well-known name `calendar` for the default one (Exchange's
   * distinguished folder name, which Graph resolves in `/calendars/{id}`); `undefined` when absent.
   */
  calendar(id: string | undefined): Folder | undefined {
    if (id === undefined || id.toLowerCase() === WELL_KNOWN_CALENDAR) return this.defaultCalendar();
    return this.mailbox.folders.get(id, CALENDAR_KIND);
  }

  /** Creates an event; a repeated transactionId returns the event it created before. */
  create(calendarId: string | undefined, body: unknown, o: WriteOptions = {}): { view: EventView; created: boolean } {
    const calendar = this.calendar(calendarId);
    if (!calendar) throw notFound();
    const now = this.now();
    const input = parseEventInput(body, now);
    if (input.transactionId !== undefined) {
      const earlier = this.mailbox.items.get(this.#state.transactions[input.transactionId] ?? "", EVENT_KIND);
      if (earlier) return { view: itemView(earlier as unknown as EventItem), created: false };
    }
    if (!input.core.start || !input.core.end) {
      throw new CalendarError(400, "ErrorInvalidRequest", "The event must have a start and an end.");
    }
    const props: EventProps = {
      ...defaults(this.owner),
      ...input.core,
      type: "singleInstance",
      iCalUId: newICalUId(now),
      exceptions: {},
      cancelled: [],
    } as EventProps;
    reconcileLocations(props, { location: "location" in input.core, locations: "locations" in input.core });
    settleTimes(props);
    if (input.recurrence !== undefined && input.recurrence !== null) this.#setRecurrence(props, input.recurrence);
    if (input.transactionId !== undefined) props.transactionId = input.transactionId;
    const item = this.mailbox.items.create(EVENT_KIND, calendar.id, props, input.extendedProperties) as EventItem;
    if (input.transactionId !== undefined) this.#state.transactions[input.transactionId] = item.immutableId;
    if (o.sendMail !== false) this.#send(itemView(item), mailsForCreate(props));
    return { view: itemView(item), created: true };
  }

  /** The event with this id: a stored event, or an occurrence/exception of a series. */
  find(id: string, calendarId?: string): EventView | undefined {
    const occ = parseOccurrenceId(id);
    const item = this.mailbox.items.get(occ ? occ.masterId : id, EVENT_KIND) as EventItem | undefined;
    if (!item || (calendarId !== undefined && item.folderId !== calendarId)) return undefined;
    return occ ? occurrenceView(item, occ.originalStart.epochMilliseconds) : itemView(item);
  }

  /** Like `find`, but answers Graph's 404. */
  get(id: string, calendarId?: string): EventView {
    const view = this.find(id, calendarId);
    if (!view) throw notFound();
    return view;
  }

  /** Stored events (single instances and series masters) of a calendar, oldest first. */
  list(calendarId?: string): EventItem[] {
    const calendar = this.calendar(calendarId);
    if (!calendar) throw notFound();
    return this.mailbox.items.list(EVENT_KIND, calendar.id) as unknown as EventItem[];
  }

  /** Applies a PATCH body to an event, occurrence or exception. */
  update(id: string, body: unknown, o: WriteOptions = {}, calendarId?: string): EventView {
    const view = this.get(id, calendarId);
    checkIfMatch(view.item.changeKey, o.ifMatch);
    const input = parseEventInput(body, this.now());
    if (input.transactionId !== undefined && input.transactionId !== view.item.props.transactionId) {
      throw new CalendarError(400, "ErrorInvalidRequest", "The transactionId of an event cannot be changed.");
    }
    const before = copyCore(view.core);
    const after: EventCore = { ...copyCore(view.core), ...structuredClone(input.core) };
    reconcileLocations(after, { location: "location" in input.core, locations: "locations" in input.core });
    keepResponses(before, after);
    settleTimes(after);
    const timesChanged = after.startMs !== before.startMs || after.endMs !== before.endMs;
    if (view.originalStartMs === undefined) {
      return this.#updateStored(view.item, before, after, input, timesChanged, o);
    }
    if (input.recurrence !== undefined) {
      throw new CalendarError(400, "ErrorInvalidRequest", "The recurrence of an occurrence cannot be set.");
    }
    if (timesChanged) checkOccurrenceMove(view.item, view.originalStartMs, after);
    const key = String(view.originalStartMs);
    const p = view.item.props;
    const overrides = { ...p.exceptions[key]?.overrides };
    for (const f of Object.keys(input.core) as (keyof EventCore)[]) {
      (overrides as Record<string, unknown>)[f] = after[f];
    }
    if (timesChanged || overrides.start) Object.assign(overrides, pick(after, ["start", "end", "startMs", "endMs"]));
    if ("location" in input.core || "locations" in input.core) {
      Object.assign(overrides, pick(after, ["location", "locations"]));
    }
    this.mailbox.items.update(view.item, (props) => {
      props.exceptions[key] = { overrides };
    }, input.extendedProperties);
    const updated = occurrenceView(view.item, view.originalStartMs)!;
    if (o.sendMail !== false) this.#send(updated, mailsForUpdate(before, after));
    return updated;
  }

  /**
   * Deletes an event, or cancels one occurrence of a series (it joins cancelledOccurrences).
   * The organizer's delete cancels the meeting for its attendees; an attendee's delete of a live
   * copy declines it (with a response to the organizer unless `sendMail` is false).
   */
  delete(id: string, o: WriteOptions = {}, calendarId?: string): void {
    const view = this.get(id, calendarId);
    checkIfMatch(view.item.changeKey, o.ifMatch);
    if (!view.core.isOrganizer && !view.core.isCancelled && view.core.responseStatus.response !== "declined") {
      this.respond(id, "declined", { sendResponse: o.sendMail !== false }, calendarId);
      return;
    }
    if (o.sendMail !== false) this.#send(view, mailsForCancellation(view.core));
    if (view.originalStartMs === undefined) {
      this.mailbox.items.delete(view.item as unknown as OutlookItem);
      return;
    }
    const key = view.originalStartMs;
    this.mailbox.items.update(view.item, (props) => {
      delete props.exceptions[String(key)];
      if (!props.cancelled.includes(key)) props.cancelled.push(key);
    });
  }

  /** POST /events/{id}/cancel: organizer only; mails the comment and removes the event. */
  cancel(id: string, comment: string | undefined, calendarId?: string): void {
    const view = this.get(id, calendarId);
    if (!view.core.isOrganizer) {
      throw new CalendarError(
        400,
        "ErrorInvalidRequest",
        "Your request can't be completed. You need to be an organizer to cancel a meeting.",
      );
    }
    this.#send(view, mailsForCancellation(view.core), comment);
    this.delete(id, { sendMail: false }, calendarId);
  }

  /**
   * An attendee answers a meeting (or one occurrence of it): accepting or tentatively accepting
   * sets the copy's `responseStatus` and free/busy; declining removes it from the calendar (as
   * Outlook does). With `sendResponse` (default) the organizer's attendee list records it.
   */
  respond(id: string, response: MeetingResponse, o: RespondOptions = {}, calendarId?: string): void {
    const view = this.get(id, calendarId);
    if (view.core.isOrganizer) {
      throw new CalendarError(
        400,
        "ErrorInvalidRequest",
        "Your request can't be completed. You can't respond to a meeting you organized.",
      );
    }
    const item = view.item;
    const key = view.originalStartMs;
    if (response === "declined") {
      if (key === undefined) this.mailbox.items.delete(item as unknown as OutlookItem);
      else {
        this.mailbox.items.update(item, (props) => {
          delete props.exceptions[String(key)];
          if (!props.cancelled.includes(key)) props.cancelled.push(key);
        });
      }
    } else {
      const showAs = this.delivery.organizerItem(this.owner, item.props)?.props.showAs;
      const status = answeredStatus(response, this.now(), showAs ?? "busy");
      this.mailbox.items.update(item, (props) => {
        if (key === undefined) Object.assign(props, status);
        else props.exceptions[String(key)] = { overrides: { ...props.exceptions[String(key)]?.overrides, ...status } };
      });
    }
    if (o.sendResponse === false) return;
    const to = item.props.organizer.emailAddress.address;
    this.mailLog.append({
      fromUserId: this.owner.id,
      kind: "response",
      response,
      itemId: item.id,
      immutableId: item.immutableId,
      subject: responseSubject(response, view.core.subject),
      to: [to],
      at: new Date(this.now()).toISOString(),
    });
    this.delivery.deliverResponse(this.owner, item.props, response, key);
  }

  #updateStored(
    item: EventItem,
    before: EventCore,
    after: EventCore,
    input: ReturnType<typeof parseEventInput>,
    timesChanged: boolean,
    o: WriteOptions,
  ): EventView {
    const next: EventProps = { ...structuredClone(item.props), ...after };
    let recurrenceChanged = false;
    if (input.recurrence === null && next.type === "seriesMaster") {
      next.type = "singleInstance";
      delete next.recurrence;
      recurrenceChanged = true;
    } else if (input.recurrence !== undefined && input.recurrence !== null) {
      const old = JSON.stringify(next.recurrence ?? null);
      this.#setRecurrence(next, input.recurrence);
      recurrenceChanged = old !== JSON.stringify(next.recurrence);
    } else if (next.type === "seriesMaster" && timesChanged) {
      // Moving a series without restating its recurrence moves the range start with it.
      // UNVERIFIED: Graph might refuse instead (ErrorInvalidRecurrenceRange).
      const zone = requireZone(next.recurrence!.range.recurrenceTimeZone).iana;
      const day = Temporal.Instant.fromEpochMilliseconds(next.startMs).toZonedDateTimeISO(zone).toPlainDate();
      this.#setRecurrence(next, {
        ...next.recurrence,
        range: { ...next.recurrence!.range, startDate: day.toString() },
      });
    }
    if (recurrenceChanged || (timesChanged && next.type === "seriesMaster")) {
      // Outlook drops a series' exceptions when its pattern or times change. UNVERIFIED for Graph.
      next.exceptions = {};
      next.cancelled = [];
    }
    this.mailbox.items.update(item, () => next, input.extendedProperties);
    if (o.sendMail !== false) this.#send(itemView(item), mailsForUpdate(before, after, recurrenceChanged));
    return itemView(item);
  }

  #setRecurrence(props: EventProps, raw: unknown): void {
    const start = Temporal.Instant.fromEpochMilliseconds(props.startMs);
    props.recurrence = normalizeRecurrence(raw, { instant: start, zone: requireZone(props.start.timeZone) });
    props.type = "seriesMaster";
    seriesOf(props); // fails early if the stored zones cannot be read back
  }

  /** Logs the organizer's mails and delivers them to colleagues' mailboxes (MeetingDelivery). */
  #send(view: EventView, mails: PlannedMail[], comment?: string): void {
    const item = view.item;
    for (const mail of mails) {
      this.mailLog.append({
        fromUserId: this.owner.id,
        kind: mail.kind,
        itemId: item.id,
        immutableId: item.immutableId,
        subject: comment === undefined ? item.props.subject : `${item.props.subject} — ${comment}`,
        to: mail.to,
        at: new Date(this.now()).toISOString(),
      });
    }
    this.delivery.deliver(this.owner, view, mails);
  }
}
