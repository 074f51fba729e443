import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { DEFAULT_CONTACT_FOLDER_ID } from "@app/shared/contract";
import { AppError, UpstreamError } from "@app/shared/errors";
import { createGraphClient, Semaphore, toGraphError } from "@app/shared/graph";

/** An Outlook calendar the user may choose (A4). */
export interface CalendarChoice {
  id: string;
  name: string;
  isDefault: boolean;
  canEdit: boolean;
}

/** An Outlook contact folder the user may choose (A4). */
export interface ContactFolderChoice {
  id: string;
  name: string;
  isDefault: boolean;
}

const PageSchema = z.object({
  value: z.array(z.record(z.string(), z.unknown())),
  "@odata.nextLink": z.string().optional(),
});
const CalendarSchema = z.object({
  id: z.string(),
  name: z.string(),
  isDefaultCalendar: z.boolean().optional(),
  canEdit: z.boolean().optional(),
});
const FolderSchema = z.object({ id: z.string(), displayName: z.string(), parentFolderId: z.string().nullish() });
const ContactParentSchema = z.object({ id: z.string(), parentFolderId: z.string().nullish() });
const SubscriptionSchema = z.object({ id: z.string() });

/** One signed-in user's mailbox as auth needs it: what to choose from, and subscriptions to drop. */
export class MailboxGraph {
  readonly #client: Client;

  constructor(baseUrl: string, getAccessToken: () => Promise<string>) {
    // Graph allows 4 concurrent requests per mailbox; auth's few calls stay well below.
    this.#client = createGraphClient({ baseUrl, getAccessToken, concurrency: new Semaphore(2) });
  }

  /** Every calendar of the mailbox, the primary one first. */
  async calendars(): Promise<CalendarChoice[]> {
    const rows = await this.#all("/me/calendars?$select=id,name,isDefaultCalendar,canEdit", CalendarSchema);
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      isDefault: c.isDefaultCalendar ?? false,
      canEdit: c.canEdit ?? true,
    }))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  }

  /**
   * The default "Contacts" folder first, then the folders under it. `/me/contactFolders` lists only
   * the sub-folders (graph-facts §1.2), so the default folder is read by its well-known name
   * `contacts` (used in the field, UNVERIFIED in Graph's docs; the emulator answers 404), else found
   * as the sub-folders' parent or a contact's parent. A mailbox that reveals none of these lists it
   * as {@link DEFAULT_CONTACT_FOLDER_ID}.
   */
  async contactFolders(): Promise<ContactFolderChoice[]> {
    const children = await this.#all("/me/contactFolders?$select=id,displayName,parentFolderId", FolderSchema);
    const byName = await this.#get("/me/contactFolders/contacts?$select=id,displayName").catch((err) => {
      if (err instanceof AppError && (err.status === 404 || err.status === 400)) return undefined;
      throw err;
    });
    let found = byName ? FolderSchema.parse(byName) : undefined;
    let defaultId = found?.id ?? children.find((f) => f.parentFolderId)?.parentFolderId ?? undefined;
    if (!defaultId) {
      const [contact] = await this.#page("/me/contacts?$top=1&$select=id,parentFolderId", ContactParentSchema);
      defaultId = contact?.parentFolderId ?? undefined;
    }
    if (defaultId && !found) {
      // Outlook names it in the mailbox's language ("Kontakte", "Contatti").
      found = FolderSchema.parse(
        await this.#get(`/me/contactFolders/${encodeURIComponent(defaultId)}?$select=id,displayName`),
      );
    }
    return [
      { id: found?.id ?? DEFAULT_CONTACT_FOLDER_ID, name: found?.displayName ?? "Contacts", isDefault: true },
      ...children.map((f) => ({ id: f.id, name: f.displayName, isDefault: false })),
    ];
  }

  /** Deletes every change-notification subscription this app holds for the user (A7). */
  async deleteSubscriptions(): Promise<number> {
    const subs = await this.#all("/subscriptions", SubscriptionSchema);
    for (const s of subs) {
      try {
        await this.#client.api(`/subscriptions/${encodeURIComponent(s.id)}`).delete();
      } catch (err) {
        const e = toGraphError(err);
        if (e.status !== 404) throw e; // gone already is what we wanted
      }
    }
    return subs.length;
  }

  /** Follows `@odata.nextLink` to the end; any failure is an error, never a short list. */
  async #all<T>(path: string, item: z.ZodType<T>): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = path;
    while (url) {
      const page = PageSchema.safeParse(await this.#get(url));
      if (!page.success) throw new UpstreamError("graph_bad_reply", `Graph answered ${path} with an unexpected body`);
      out.push(...this.#items(path, page.data.value, item));
      url = page.data["@odata.nextLink"];
    }
    return out;
  }

  /** The first page only. */
  async #page<T>(path: string, item: z.ZodType<T>): Promise<T[]> {
    const page = PageSchema.safeParse(await this.#get(path));
    if (!page.success) throw new UpstreamError("graph_bad_reply", `Graph answered ${path} with an unexpected body`);
    return this.#items(path, page.data.value, item);
  }

  #items<T>(path: string, values: unknown[], item: z.ZodType<T>): T[] {
    return values.map((v) => {
      const parsed = item.safeParse(v);
      if (!parsed.success) throw new UpstreamError("graph_bad_reply", `Graph answered ${path} with a malformed item`);
      return parsed.data;
    });
  }

  async #get(url: string): Promise<unknown> {
    try {
      return await this.#client.api(url).get();
    } catch (err) {
      throw toGraphError(err);
    }
  }
}
