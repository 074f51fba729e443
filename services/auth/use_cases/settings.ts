import { DEFAULT_CONTACT_FOLDER_ID, type SyncSettings } from "@app/shared/contract";
import { type FieldIssue, UpstreamError, ValidationError } from "@app/shared/errors";
import type { UserStore } from "../adapters/user_store.ts";
import { type AccessDeps, requireLinkedAccount, requireUser } from "./access.ts";
import type { MailboxChoices } from "./mailbox.ts";

/** What {@link SettingsService} needs; `mailbox` is absent without a Microsoft app registration. */
export interface SettingsDeps extends AccessDeps {
  users: UserStore;
  mailbox?: MailboxChoices;
  eventsWritten: () => void;
}

/** Reads and writes a user's sync settings (A4, A5), checking choices against the linked mailbox. */
export class SettingsService {
  constructor(private readonly d: SettingsDeps) {}

  async get(tenantId: string, userId: string): Promise<SyncSettings> {
    await requireUser(this.d, tenantId, userId);
    return await this.d.users.settingsOf(tenantId, userId);
  }

  /**
   * Saves the sections of `update` (already schema-valid), keeping the others. Switching a side on
   * needs its calendar or folder; a chosen one must exist in the linked account, otherwise 400
   * naming the field.
   */
  async put(tenantId: string, userId: string, update: Partial<SyncSettings>): Promise<SyncSettings> {
    await requireUser(this.d, tenantId, userId);
    const next: SyncSettings = { ...await this.d.users.settingsOf(tenantId, userId), ...update };
    const issues: FieldIssue[] = [];
    if (next.calendar.enabled && !next.calendar.calendarId) {
      issues.push({ path: "calendar.calendarId", message: "choose a calendar before switching calendar sync on" });
    }
    if (next.contacts.enabled && !next.contacts.folderId) {
      issues.push({ path: "contacts.folderId", message: "choose a contact folder before switching contact sync on" });
    }
    if (issues.length === 0 && (next.calendar.calendarId || next.contacts.folderId)) {
      const account = await requireLinkedAccount(this.d, tenantId, userId);
      const mailbox = this.d.mailbox;
      if (!mailbox) {
        throw new UpstreamError("microsoft_not_configured", "no Microsoft app is configured", { status: 503 });
      }
      const { calendarId } = next.calendar;
      if (calendarId) {
        const calendars = await mailbox.withMailbox(account, (m) => m.calendars());
        if (!calendars.some((c) => c.id === calendarId)) {
          issues.push({
            path: "calendar.calendarId",
            message: `${calendarId} is not a calendar of ${account.username}`,
          });
        }
      }
      const { folderId } = next.contacts;
      if (folderId) {
        const folders = await mailbox.withMailbox(account, (m) => m.contactFolders());
        // The alias stays valid once the real id shows (it always means the default folder).
        if (folderId !== DEFAULT_CONTACT_FOLDER_ID && !folders.some((f) => f.id === folderId)) {
          issues.push({
            path: "contacts.folderId",
            message: `${folderId} is not a contact folder of ${account.username}`,
          });
        }
      }
    }
    if (issues.length > 0) {
      throw new ValidationError(`invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
    }
    const { changed } = await this.d.users.saveSettings(tenantId, userId, next);
    if (changed) this.d.eventsWritten();
    return next;
  }
}
