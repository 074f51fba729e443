// Exchange's side of meetings between mailboxes of one tenant: the organizer's invitations,
// updates and cancellations change the attendees' copies; an attendee's response changes the
// organizer's attendee list. Mails to addresses outside the tenant only go to the mail log.
import type { User } from "../state/directory.ts";
import type { Mailbox } from "../state/mailbox.ts";
import type { EmulatorState } from "../state/state.ts";
import { CALENDAR_KIND, EVENT_KIND, type EventProps } from "./event_model.ts";
import { type EventItem, type EventView, itemView, occurrenceView } from "./instances.ts";
import type { PlannedMail } from "./invitations.ts";
import {
  cancelAttendeeCopy,
  cancelCopyOccurrence,
  hasAttendee,
  type MeetingResponse,
  newAttendeeCopy,
  refreshAttendeeCopy,
  withResponse,
} from "./meetings.ts";

export class MeetingDelivery {
  constructor(private readonly state: EmulatorState, private readonly now: () => number) {}

  /**
   * Delivers an organizer's mails about `view` (the meeting, or one occurrence of it) to the
   * colleagues among the recipients: an invitation or update makes or refreshes their copy (an
   * update re-adds a copy the attendee had removed, as a new request would); a cancellation marks
   * the copy, or the occurrence, cancelled.
   */
  deliver(organizer: User, view: EventView, mails: PlannedMail[]): void {
    const org = view.item.props;
    for (const mail of mails) {
      for (const address of mail.to) {
        const colleague = this.colleague(organizer, address);
        if (!colleague) continue;
        const box = this.state.mailbox(colleague.id);
        const copy = meetingIn(box, org.iCalUId, false);
        if (mail.kind !== "cancellation") {
          if (copy) box.items.update(copy, (props) => refreshAttendeeCopy(props, org));
          else box.items.create(EVENT_KIND, box.folders.defaultOf(CALENDAR_KIND, "Calendar").id, newAttendeeCopy(org));
          continue;
        }
        if (!copy) continue;
        const next = view.originalStartMs === undefined
          ? cancelAttendeeCopy(copy.props)
          : cancelCopyOccurrence(copy.props, view.originalStartMs);
        if (next) box.items.update(copy, () => next);
      }
    }
  }

  /**
   * An attendee's response reaches the organizer's item: the attendee's status on the meeting,
   * or on one occurrence (kept as an exception of the organizer's series).
   */
  deliverResponse(attendee: User, copy: EventProps, response: MeetingResponse, originalStartMs?: number): void {
    const item = this.organizerItem(attendee, copy);
    if (!item) return;
    const box = this.state.mailbox(this.colleague(attendee, copy.organizer.emailAddress.address)!.id);
    const view = originalStartMs === undefined ? itemView(item) : occurrenceView(item, originalStartMs);
    if (!view) return;
    const address = [attendee.mail, attendee.userPrincipalName].find((a) => hasAttendee(view.core.attendees, a));
    if (!address) return;
    const attendees = withResponse(view.core.attendees, address, response, this.now());
    box.items.update(item, (props) => {
      if (originalStartMs === undefined) props.attendees = attendees;
      else {
        const key = String(originalStartMs);
        props.exceptions[key] = { overrides: { ...props.exceptions[key]?.overrides, attendees } };
      }
    });
  }

  /** The organizer's item of the meeting an attendee copy belongs to, when the organizer is a colleague. */
  organizerItem(attendee: User, copy: EventProps): EventItem | undefined {
    const organizer = this.colleague(attendee, copy.organizer.emailAddress.address);
    return organizer ? meetingIn(this.state.mailbox(organizer.id), copy.iCalUId, true) : undefined;
  }

  /** A user of `of`'s tenant whose mailbox has `address` (mail or UPN), other than `of`. */
  colleague(of: User, address: string): User | undefined {
    const key = address.toLowerCase();
    for (const u of this.state.users.values()) {
      if (u.tenantId !== of.tenantId || u.id === of.id) continue;
      if (u.mail.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key) return u;
    }
    return undefined;
  }
}

/** A mailbox's organizer item (`organizer` true) or attendee copy of the meeting `iCalUId`. */
function meetingIn(box: Mailbox, iCalUId: string, organizer: boolean): EventItem | undefined {
  for (const item of box.items.list(EVENT_KIND) as unknown as EventItem[]) {
    if (item.props.iCalUId === iCalUId && item.props.isOrganizer === organizer) return item;
  }
  return undefined;
}
