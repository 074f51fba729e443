import { z } from "zod";
import { AppointmentSchema } from "./appointment.ts";
import { ContactSchema } from "./contact.ts";
import { envelope } from "./envelope.ts";
import { GroupIdSchema, RecordIdSchema, RecordVersionSchema, UserIdSchema } from "./ids.ts";

/** `crm.contact.created` / `crm.contact.updated`: the full record after the change. */
export const ContactUpsertedV1Schema = z.object({ contact: ContactSchema });
export const ContactCreatedV1 = envelope("crm.contact.created", 1, ContactUpsertedV1Schema);
export const ContactUpdatedV1 = envelope("crm.contact.updated", 1, ContactUpsertedV1Schema);
/** `crm.contact.archived`: archived in the CRM; removed from every user's Outlook (C5). */
export const ContactArchivedV1 = envelope("crm.contact.archived", 1, ContactUpsertedV1Schema);
/** `crm.contact.deleted`: deleted in the CRM; deleted in every linked Outlook (C5). */
export const ContactDeletedV1 = envelope(
  "crm.contact.deleted",
  1,
  z.object({ contactId: RecordIdSchema, version: RecordVersionSchema }),
);
/** `crm.contact.sync_flag_changed`: a user's per-contact sync flag was set or cleared (C3, C5). */
export const ContactSyncFlagChangedV1 = envelope(
  "crm.contact.sync_flag_changed",
  1,
  z.object({ contactId: RecordIdSchema, userId: UserIdSchema, enabled: z.boolean(), version: RecordVersionSchema }),
);

/** `crm.appointment.created` / `.updated`: the full record after the change. */
export const AppointmentUpsertedV1Schema = z.object({ appointment: AppointmentSchema });
export const AppointmentCreatedV1 = envelope("crm.appointment.created", 1, AppointmentUpsertedV1Schema);
export const AppointmentUpdatedV1 = envelope("crm.appointment.updated", 1, AppointmentUpsertedV1Schema);
/** `crm.appointment.deleted`: deleted in every linked Outlook calendar (E6). */
export const AppointmentDeletedV1 = envelope(
  "crm.appointment.deleted",
  1,
  z.object({ appointmentId: RecordIdSchema, version: RecordVersionSchema }),
);

/** `crm.group.membership_changed`: the group's members now (E3, E4). */
export const GroupMembershipChangedV1 = envelope(
  "crm.group.membership_changed",
  1,
  z.object({ groupId: GroupIdSchema, memberIds: z.array(UserIdSchema), version: RecordVersionSchema }),
);

/** Every CRM event, discriminated by `type`. */
export const CrmEventSchema = z.discriminatedUnion("type", [
  ContactCreatedV1,
  ContactUpdatedV1,
  ContactArchivedV1,
  ContactDeletedV1,
  ContactSyncFlagChangedV1,
  AppointmentCreatedV1,
  AppointmentUpdatedV1,
  AppointmentDeletedV1,
  GroupMembershipChangedV1,
]);
export type CrmEvent = z.infer<typeof CrmEventSchema>;
