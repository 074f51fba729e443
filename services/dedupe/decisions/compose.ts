import {
  type Appointment,
  type AppointmentFields,
  AppointmentFieldsPatchSchema,
  AppointmentFieldsSchema,
  type Contact,
  type ContactFields,
  ContactFieldsPatchSchema,
  ContactFieldsSchema,
} from "@app/shared/contract";
import { type FieldIssue, toFieldIssues, ValidationError } from "@app/shared/errors";

/** A merge as the user asked for it (D2): the survivor, per field the record to take it from, explicit values. */
export interface MergeChoice {
  survivorId: string;
  fields?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** Field names a merge may choose, per kind. */
export const CONTACT_FIELD_NAMES = Object.keys(ContactFieldsSchema.shape) as Array<keyof ContactFields>;
export const APPOINTMENT_FIELD_NAMES = Object.keys(AppointmentFieldsSchema.shape) as Array<keyof AppointmentFields>;

/** Checks a merge choice against its group; every problem is named by its field path. */
export function checkChoice(choice: MergeChoice, recordIds: readonly string[], names: readonly string[]): void {
  const issues: FieldIssue[] = [];
  if (!recordIds.includes(choice.survivorId)) {
    issues.push({ path: "survivorId", message: "is not a record of this group" });
  }
  for (const [field, from] of Object.entries(choice.fields ?? {})) {
    if (!names.includes(field)) {
      issues.push({ path: `fields.${field}`, message: "is not a field of this kind of record" });
    } else if (!recordIds.includes(from)) {
      issues.push({ path: `fields.${field}`, message: `"${from}" is not a record of this group` });
    }
  }
  if (issues.length) {
    throw new ValidationError(`invalid merge: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
  }
}

function parseValues<S extends typeof ContactFieldsPatchSchema | typeof AppointmentFieldsPatchSchema>(
  schema: S,
  values: Record<string, unknown> | undefined,
) {
  const parsed = schema.strict().safeParse(values ?? {});
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error.issues).map((i) => ({ ...i, path: `values.${i.path}` }));
    throw new ValidationError(`invalid merge: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
  }
  return parsed.data;
}

/** The survivor's contact fields after the merge: its own, the chosen records' per field, then explicit values. */
export function composeContactFields(choice: MergeChoice, records: ReadonlyMap<string, Contact>): ContactFields {
  const values = parseValues(ContactFieldsPatchSchema, choice.values);
  const out = ContactFieldsSchema.parse(records.get(choice.survivorId)!) as Record<string, unknown>;
  for (const [field, from] of Object.entries(choice.fields ?? {})) {
    out[field] = structuredClone((records.get(from)! as Record<string, unknown>)[field]);
  }
  return ContactFieldsSchema.parse({ ...out, ...stripUndefined(values) });
}

/**
 * The survivor's appointment fields after the merge: like contacts, and everyone who took part in
 * any of the records still takes part (participants, groups, contacts, resources are joined).
 */
export function composeAppointmentFields(
  choice: MergeChoice,
  records: ReadonlyMap<string, Appointment>,
): AppointmentFields {
  const values = parseValues(AppointmentFieldsPatchSchema, choice.values);
  const survivor = records.get(choice.survivorId)!;
  const out = AppointmentFieldsSchema.parse(survivor) as Record<string, unknown>;
  for (const [field, from] of Object.entries(choice.fields ?? {})) {
    out[field] = structuredClone((records.get(from)! as Record<string, unknown>)[field]);
  }
  const all = [...records.values()];
  const byKey = <T>(xs: T[], key: (x: T) => string) => [...new Map(xs.map((x) => [key(x), x])).values()];
  out.participantIds = [...new Set(all.flatMap((a) => [a.organizerId, ...a.participantIds]))];
  out.groupIds = [...new Set(all.flatMap((a) => a.groupIds))];
  out.contacts = byKey(all.flatMap((a) => a.contacts), (c) => c.contactId);
  out.resources = byKey(all.flatMap((a) => a.resources), (r) => r.id);
  return AppointmentFieldsSchema.parse({ ...out, ...stripUndefined(values) });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
