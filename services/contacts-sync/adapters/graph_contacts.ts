import type { Client } from "@microsoft/microsoft-graph-client";
import type { Contact as GraphContactBody } from "@microsoft/microsoft-graph-types";
import { z } from "zod";
import { DEFAULT_CONTACT_FOLDER_ID } from "@app/shared/contract";
import { batchItemFailed, type ItemResult } from "@app/shared/engine";
import { type BatchItem, type BatchOutcome, runBatch, toGraphError, walkDelta } from "@app/shared/graph";
import { CRM_ID_PROPERTY_ID, crmIdStampOf } from "../sync/graph_mapping.ts";
import type { GraphChanges, GraphContact, GraphContactsPort, GraphContactUpdate } from "../sync/ports.ts";

// Immutable ids on every request (C8): an item keeps its id when Outlook moves it.
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };

/** The fields of a Graph contact the engine reads; anything else passes through untouched. */
const GraphContactSchema = z.object({ id: z.string().min(1), changeKey: z.string().min(1) }).passthrough();

const PageSchema = z.object({ value: z.array(z.unknown()), "@odata.nextLink": z.string().optional() });

/** Up to this many stamp lookups are made one by one; more are answered by one listing of the folder. */
const LOOKUPS_BEFORE_LISTING = 10;

function parseContact(raw: unknown): GraphContact {
  return GraphContactSchema.parse(raw) as unknown as GraphContact;
}

/**
 * The user's chosen Outlook contact folder through Microsoft Graph: delta reads, the CRM-id stamp
 * lookup (extended-property `$filter`, C8), and writes in `$batch`es of ≤ 20 whose throttled items
 * are retried after Retry-After. Every non-2xx answer is an error, never an empty result.
 */
export class GraphContactsAdapter implements GraphContactsPort {
  constructor(
    private readonly client: Client,
    private readonly folderId: string,
    private readonly options: { pageSize?: number } = {},
  ) {}

  get #folder(): string {
    return contactFolderPath(this.folderId);
  }

  async readChanges(cursor: string | undefined): Promise<GraphChanges> {
    const round = await walkDelta(this.client, {
      initialPath: `${this.#folder}/contacts/delta`,
      cursor,
      parse: parseContact,
      pageSize: this.options.pageSize ?? 500,
      headers: IMMUTABLE,
    });
    return { complete: round.complete, upserts: round.upserts, removedIds: round.removedIds, nextCursor: round.cursor };
  }

  async locateByCrmIds(crmIds: readonly string[]): Promise<Map<string, GraphContact>> {
    const found = new Map<string, GraphContact>();
    const stampOnly = `singleValueExtendedProperties($filter=id eq '${CRM_ID_PROPERTY_ID}')`;
    try {
      if (crmIds.length <= LOOKUPS_BEFORE_LISTING) {
        for (const crmId of crmIds) {
          const value = crmId.replaceAll("'", "''");
          const filter =
            `singleValueExtendedProperties/Any(ep: ep/id eq '${CRM_ID_PROPERTY_ID}' and ep/value eq '${value}')`;
          const res = await this.client.api(`${this.#folder}/contacts`).headers(IMMUTABLE)
            .filter(filter).expand(stampOnly).top(2).get();
          const hit = PageSchema.parse(res).value.map(parseContact)[0];
          if (hit) found.set(crmId, hit);
        }
        return found;
      }
      // After a crash with many pending creates, one listing with the stamp expanded costs a
      // request per 1,000 contacts instead of one per create.
      const wanted = new Set(crmIds);
      let url: string | undefined = `${this.#folder}/contacts?$top=1000&$expand=${stampOnly}`;
      while (url) {
        const page = PageSchema.parse(await this.client.api(url).headers(IMMUTABLE).get());
        for (const contact of page.value.map(parseContact)) {
          const stamp = crmIdStampOf(contact);
          if (stamp !== undefined && wanted.has(stamp)) found.set(stamp, contact);
        }
        url = page["@odata.nextLink"];
      }
      return found;
    } catch (err) {
      throw toGraphError(err);
    }
  }

  async createMany(bodies: readonly GraphContactBody[]): Promise<ItemResult<GraphContact>[]> {
    const items = bodies.map((body, i): BatchItem => ({
      id: String(i),
      method: "POST",
      url: `${this.#folder}/contacts`,
      body,
      headers: IMMUTABLE,
    }));
    return (await this.#batch(items)).map((o) => o.ok ? { ok: true, value: parseContact(o.body) } : batchItemFailed(o));
  }

  async updateMany(updates: readonly GraphContactUpdate[]): Promise<ItemResult<GraphContact>[]> {
    const items = updates.map((u, i): BatchItem => ({
      id: String(i),
      method: "PATCH",
      url: `${this.#folder}/contacts/${encodeURIComponent(u.id)}`,
      body: u.body,
      headers: { ...IMMUTABLE, ...(u.changeKey ? { "If-Match": `W/"${u.changeKey}"` } : {}) },
    }));
    return (await this.#batch(items)).map((o) => o.ok ? { ok: true, value: parseContact(o.body) } : batchItemFailed(o));
  }

  async deleteMany(ids: readonly string[]): Promise<ItemResult<void>[]> {
    const items = ids.map((id, i): BatchItem => ({
      id: String(i),
      method: "DELETE",
      url: `${this.#folder}/contacts/${encodeURIComponent(id)}`,
      headers: IMMUTABLE,
    }));
    return (await this.#batch(items)).map((o) => o.ok ? { ok: true, value: undefined } : batchItemFailed(o));
  }

  #batch(items: BatchItem[]): Promise<BatchOutcome[]> {
    return runBatch(this.client, items); // throttled items go back to the applier, which waits and resends them
  }
}

/**
 * The Graph path of a contact folder. The default "Contacts" folder is not listed by
 * `/me/contactFolders`, so a user who chose it has {@link DEFAULT_CONTACT_FOLDER_ID}: its contacts
 * live under `/me/contacts`.
 */
export function contactFolderPath(folderId: string): string {
  return folderId === DEFAULT_CONTACT_FOLDER_ID ? "/me" : `/me/contactFolders/${folderId}`;
}
