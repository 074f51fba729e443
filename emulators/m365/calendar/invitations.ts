// Which mails Graph sends attendees for a change (graph-facts §2.4): every attendee is invited
// when a meeting is created; a PATCH of only `attendees` writes to the attendees that changed;
// other meeting changes update everyone; deleting or cancelling the organizer's meeting sends
// cancellations. Only the organizer's copy sends anything.
import type { Attendee, EventCore } from "./event_model.ts";

export type MailKind = "invitation" | "update" | "cancellation";

export interface PlannedMail {
  kind: MailKind;
  to: string[];
}

// Changing these is a meeting update; the rest (reminder, categories, showAs, ...) is personal.
// UNVERIFIED: Exchange's exact list of properties that trigger an update.
export const MEETING_FIELDS: (keyof EventCore)[] = [
  "subject",
  "body",
  "start",
  "end",
  "isAllDay",
  "location",
  "locations",
  "importance",
  "sensitivity",
  "isOnlineMeeting",
  "onlineMeetingProvider",
  "responseRequested",
  "allowNewTimeProposals",
  "hideAttendees",
];

/** Mails for a newly created event. */
export function mailsForCreate(core: EventCore): PlannedMail[] {
  if (!core.isOrganizer || core.attendees.length === 0) return [];
  return [{ kind: "invitation", to: addresses(core.attendees) }];
}

/** Mails for an update from `before` to `after`; `recurrenceChanged` for series pattern edits. */
export function mailsForUpdate(before: EventCore, after: EventCore, recurrenceChanged = false): PlannedMail[] {
  if (!after.isOrganizer) return [];
  const was = new Map(before.attendees.map((a) => [key(a), a]));
  const now = new Map(after.attendees.map((a) => [key(a), a]));
  const added = after.attendees.filter((a) => !was.has(key(a)));
  const removed = before.attendees.filter((a) => !now.has(key(a)));
  const retyped = after.attendees.filter((a) => was.has(key(a)) && was.get(key(a))!.type !== a.type);
  const meetingChanged = recurrenceChanged ||
    MEETING_FIELDS.some((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  const mails: PlannedMail[] = [];
  if (added.length) mails.push({ kind: "invitation", to: addresses(added) });
  if (removed.length) mails.push({ kind: "cancellation", to: addresses(removed) });
  const stayed = after.attendees.filter((a) => was.has(key(a)));
  const updated = meetingChanged ? stayed : retyped;
  if (updated.length) mails.push({ kind: "update", to: addresses(updated) });
  return mails;
}

/** Mails for deleting or cancelling an event (or one occurrence of it). */
export function mailsForCancellation(core: EventCore): PlannedMail[] {
  if (!core.isOrganizer || core.attendees.length === 0 || core.isCancelled) return [];
  return [{ kind: "cancellation", to: addresses(core.attendees) }];
}

function key(a: Attendee): string {
  return a.emailAddress.address.toLowerCase();
}

function addresses(list: Attendee[]): string[] {
  return list.map((a) => a.emailAddress.address);
}
