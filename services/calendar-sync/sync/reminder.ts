/**
 * Reminders (E11): Outlook minutes ⇄ the CRM's fixed choices, compared after rounding so a value the
 * user set in Outlook that rounds to the CRM's choice is kept as set (never flip-flops).
 * @module
 */
import { REMINDER_CHOICES } from "@app/shared/contract";

/** The CRM choice nearest to Outlook minutes; ties go to the earlier reminder (more minutes). */
export function reminderChoice(minutes: number | null): number | null {
  if (minutes === null) return null;
  let best: number = REMINDER_CHOICES[0];
  for (const c of REMINDER_CHOICES) {
    if (Math.abs(c - minutes) <= Math.abs(best - minutes)) best = c;
  }
  return best;
}

/** Two reminders mean the same to the CRM. */
export function sameReminder(a: number | null, b: number | null): boolean {
  return reminderChoice(a) === reminderChoice(b);
}
