import type { AppointmentFields } from "@app/shared/contract";
import { type FieldIssue, ValidationError } from "@app/shared/errors";
import type { TenantData } from "./model.ts";
import { instantOf } from "./time_window.ts";

const at = (prefix: string, path: string) => (prefix ? `${prefix}.${path}` : path);

/** Issues for user ids the tenant does not have. */
export function unknownUsers(t: TenantData, ids: readonly string[], path: string): FieldIssue[] {
  return ids.flatMap((id, i) => t.users.has(id) ? [] : [{ path: `${path}.${i}`, message: `unknown user "${id}"` }]);
}

/** Throws a {@link ValidationError} listing every issue, if there are any. */
export function throwIfIssues(issues: FieldIssue[], what: string): void {
  if (issues.length === 0) return;
  throw new ValidationError(`${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
}

const MIDNIGHT = /T00:00(:00)?$/;

/**
 * What the CRM refuses in an appointment beyond its schema: unknown users, groups or contacts,
 * an end before the start, an all-day appointment not running midnight to midnight. `prefix`
 * is where the fields sit in the request (`fields` over NATS, nothing on the admin surface).
 */
export function appointmentIssues(t: TenantData, f: AppointmentFields, prefix: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!t.users.has(f.organizerId)) {
    issues.push({ path: at(prefix, "organizerId"), message: `unknown user "${f.organizerId}"` });
  }
  issues.push(...unknownUsers(t, f.participantIds, at(prefix, "participantIds")));
  f.groupIds.forEach((id, i) => {
    if (!t.groups.has(id)) issues.push({ path: at(prefix, `groupIds.${i}`), message: `unknown group "${id}"` });
  });
  f.contacts.forEach((c, i) => {
    if (!t.contacts.has(c.contactId)) {
      issues.push({ path: at(prefix, `contacts.${i}.contactId`), message: `unknown contact "${c.contactId}"` });
    }
  });
  if (instantOf(f.end) < instantOf(f.start)) {
    issues.push({ path: at(prefix, "end"), message: "must not be before start" });
  }
  if (f.allDay) {
    if (!MIDNIGHT.test(f.start.dateTime)) {
      issues.push({ path: at(prefix, "start.dateTime"), message: "an all-day appointment starts at 00:00" });
    }
    if (!MIDNIGHT.test(f.end.dateTime)) {
      issues.push({
        path: at(prefix, "end.dateTime"),
        message: "an all-day appointment ends at 00:00 of the next day",
      });
    }
    if (f.end.dateTime.slice(0, 10) <= f.start.dateTime.slice(0, 10)) {
      issues.push({ path: at(prefix, "end"), message: "an all-day appointment ends at least one day after it starts" });
    }
  }
  return issues;
}
