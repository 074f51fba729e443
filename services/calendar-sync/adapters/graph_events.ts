import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { NotFoundError } from "@app/shared/errors";
import { batchItemFailed, type ItemResult } from "@app/shared/engine";
import {
  CRM_DETAILS_PROPERTY,
  CRM_ID_PROPERTY,
  type GraphEvent,
  GraphEventSchema,
  type GraphEventWrite,
  stampOf,
} from "../sync/mod.ts";
import { type BatchItem, runBatch, toGraphError, walkDelta } from "@app/shared/graph";

// Immutable ids on every request: an event keeps its id when Outlook moves it.
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
/** Our two extended properties (the CRM id stamp and the CRM-side details), expanded wherever we read events. */
const PROPERTIES_EXPAND =
  `singleValueExtendedProperties($filter=id eq '${CRM_ID_PROPERTY}' or id eq '${CRM_DETAILS_PROPERTY}')`;

/** An extended-property read: the id and our properties (Graph's annotations are dropped). */
const PropertiesSchema = z.object({
  id: z.string().min(1).max(512),
  type: z.string().max(40).optional(),
  singleValueExtendedProperties: z.array(z.object({ id: z.string().max(512), value: z.string().max(64_000) }))
    .max(20).optional(),
});
type ExtendedProperty = { id: string; value: string };

/** A master's exceptions as `$expand=exceptionOccurrences` returns them (each parsed as an event). */
const ExceptionsSchema = z.object({ exceptionOccurrences: z.array(z.unknown()).max(1_000).optional() });

const PageSchema = z.object({
  value: z.array(z.unknown()).max(5_000),
  "@odata.nextLink": z.string().max(4_000).optional(),
})
  .passthrough();

/** The window of a calendarView delta, as instants (ISO, UTC). */
export interface EventWindow {
  start: string;
  end: string;
}

/** One delta round over the window: every instance that changed (or all of them, for a complete round). */
export interface EventChanges {
  /** No cursor (first sync, a new window, or a lost cursor): `upserts` are all instances in the window. */
  complete: boolean;
  /** Single instances, occurrences and exceptions (never masters), in UTC. */
  upserts: GraphEvent[];
  /** Ids reported `@removed`: deleted, cancelled, or changed outside the window (Graph does not say which). */
  removedIds: string[];
  nextCursor: string;
  window: EventWindow;
}

/** A create: the body is sent as given, with our stamp and a `transactionId` so a retried POST makes one event. */
export interface EventCreate {
  body: GraphEventWrite;
  crmId: string;
  transactionId: string;
}

/** An update of an event, occurrence or exception; `changeKey` is sent as `If-Match` (412 → `conflict`). */
export interface EventUpdate {
  id: string;
  body: GraphEventWrite;
  changeKey?: string;
}

function parseEvent(raw: unknown): GraphEvent {
  return GraphEventSchema.parse(raw);
}

/**
 * The user's chosen Outlook calendar through Microsoft Graph: calendarView delta over the sync window,
 * series masters with their exceptions, stamps (our extended property, which delta cannot expand),
 * and writes in `$batch`es of ≤ 20. Every non-2xx answer is an error, never an empty result. The
 * client spends the mailbox's shared budget (the engine binds it).
 */
export class GraphEventsAdapter {
  constructor(
    private readonly client: Client,
    private readonly calendarId: string,
    private readonly options: { pageSize?: number } = {},
  ) {}

  get #calendar(): string {
    return `/me/calendars/${encodeURIComponent(this.calendarId)}`;
  }

  /**
   * One calendarView delta round. A cursor belongs to its window (Graph encodes the window in it):
   * pass `cursor` only with the window it was taken for; a new window starts a complete round.
   */
  async readWindow(o: { cursor: string | undefined; window: EventWindow }): Promise<EventChanges> {
    const q = new URLSearchParams({ startDateTime: o.window.start, endDateTime: o.window.end });
    const round = await walkDelta(this.client, {
      initialPath: `${this.#calendar}/calendarView/delta?${q}`,
      cursor: o.cursor,
      parse: parseEvent,
      pageSize: this.options.pageSize ?? 500,
      headers: IMMUTABLE,
    });
    return {
      complete: round.complete,
      upserts: round.upserts,
      removedIds: round.removedIds,
      nextCursor: round.cursor,
      window: o.window,
    };
  }

  /**
   * Our extended properties (stamp, details) of events, singles and masters, by event id; events
   * without them are absent. Few ids are read in `$batch`es; many by one paged listing.
   */
  async properties(ids: readonly string[]): Promise<Map<string, ExtendedProperty[]>> {
    const out = new Map<string, ExtendedProperty[]>();
    if (ids.length === 0) return out;
    if (ids.length > 40) {
      const wanted = new Set(ids);
      for (const [id, props] of await this.allProperties()) if (wanted.has(id)) out.set(id, props);
      return out;
    }
    const items = ids.map((id, i): BatchItem => ({
      id: String(i),
      method: "GET",
      url: `/me/events/${encodeURIComponent(id)}?$select=id&$expand=${PROPERTIES_EXPAND}`,
      headers: IMMUTABLE,
    }));
    for (const o of await runBatch(this.client, items)) {
      if (!o.ok) {
        if (o.error instanceof NotFoundError) continue;
        throw o.error;
      }
      const props = PropertiesSchema.parse(o.body).singleValueExtendedProperties;
      if (props?.length) out.set(ids[Number(o.id)]!, props);
    }
    return out;
  }

  /** Every single event's and series master's extended properties in the calendar (paged by 1,000). */
  async allProperties(): Promise<Map<string, ExtendedProperty[]>> {
    const out = new Map<string, ExtendedProperty[]>();
    let url: string | undefined = `${this.#calendar}/events?$top=1000&$select=id&$expand=${PROPERTIES_EXPAND}`;
    try {
      while (url) {
        const page = PageSchema.parse(await this.client.api(url).headers(IMMUTABLE).get());
        for (const raw of page.value) {
          const e = PropertiesSchema.parse(raw);
          if (e.singleValueExtendedProperties?.length) out.set(e.id, e.singleValueExtendedProperties);
        }
        url = page["@odata.nextLink"];
      }
    } catch (err) {
      throw toGraphError(err);
    }
    return out;
  }

  /** The events stamped with these CRM ids (a lost link, or a create that may have gone through), by CRM id. */
  async locateByCrmIds(crmIds: readonly string[]): Promise<Map<string, GraphEvent>> {
    const found = new Map<string, GraphEvent>();
    if (crmIds.length === 0) return found;
    const wanted = new Set(crmIds);
    const hits: string[] = [];
    try {
      if (crmIds.length > 10) {
        for (const [id, props] of await this.allProperties()) {
          const stamp = props.find((p) => p.id === CRM_ID_PROPERTY)?.value;
          if (stamp !== undefined && wanted.has(stamp)) hits.push(id);
        }
      } else {
        for (const crmId of crmIds) {
          const value = crmId.replaceAll("'", "''");
          const filter =
            `singleValueExtendedProperties/Any(ep: ep/id eq '${CRM_ID_PROPERTY}' and ep/value eq '${value}')`;
          const res = await this.client.api(`${this.#calendar}/events`).headers(IMMUTABLE)
            .filter(filter).select("id").top(2).get();
          const hit = PageSchema.parse(res).value.map((v) => PropertiesSchema.parse(v))[0];
          if (hit) hits.push(hit.id);
        }
      }
    } catch (err) {
      throw toGraphError(err);
    }
    for (const e of (await this.events(hits)).values()) {
      const stamp = stampOf(e);
      if (stamp !== null && wanted.has(stamp)) found.set(stamp, e);
    }
    return found;
  }

  /**
   * Events by id (singles or series masters) with our extended properties; gone ones are absent.
   * Also answers whether a delta `@removed` was a delete or a change outside the window.
   */
  async events(ids: readonly string[]): Promise<Map<string, GraphEvent>> {
    const out = new Map<string, GraphEvent>();
    for (const body of await this.#getByIds(ids, PROPERTIES_EXPAND)) {
      const e = parseEvent(body);
      out.set(e.id, e);
    }
    return out;
  }

  /** The bodies of these events, expanded, in one `$batch` per 20; gone ones are left out. */
  async #getByIds(ids: readonly string[], expand: string): Promise<unknown[]> {
    const items = ids.map((id, i): BatchItem => ({
      id: String(i),
      method: "GET",
      url: `/me/events/${encodeURIComponent(id)}?$expand=${expand}`,
      headers: IMMUTABLE,
    }));
    const out: unknown[] = [];
    for (const o of await runBatch(this.client, items)) {
      if (o.ok) out.push(o.body);
      else if (!(o.error instanceof NotFoundError)) throw o.error;
    }
    return out;
  }

  /** A series' occurrences and exceptions in a window (cancelled ones are left out, as Graph does). */
  async instances(masterId: string, window: EventWindow): Promise<GraphEvent[]> {
    const out: GraphEvent[] = [];
    const q = new URLSearchParams({ startDateTime: window.start, endDateTime: window.end, $top: "1000" });
    let url: string | undefined = `/me/events/${encodeURIComponent(masterId)}/instances?${q}`;
    try {
      while (url) {
        const page = PageSchema.parse(await this.client.api(url).headers(IMMUTABLE).get());
        out.push(...page.value.map(parseEvent));
        url = page["@odata.nextLink"];
      }
    } catch (err) {
      throw toGraphError(err);
    }
    return out;
  }

  /**
   * Series masters by id with our properties and their exceptions (`exceptionOccurrences`, which
   * include exceptions moved outside any window); gone masters are absent.
   */
  async masters(ids: readonly string[]): Promise<Map<string, { master: GraphEvent; exceptions: GraphEvent[] }>> {
    const out = new Map<string, { master: GraphEvent; exceptions: GraphEvent[] }>();
    for (const body of await this.#getByIds(ids, `exceptionOccurrences,${PROPERTIES_EXPAND}`)) {
      const master = parseEvent(body);
      const exceptions = ExceptionsSchema.parse(body).exceptionOccurrences ?? [];
      out.set(master.id, { master, exceptions: exceptions.map(parseEvent) });
    }
    return out;
  }

  /** Creates events in the calendar (≤ 20 per `$batch`), each stamped and with its `transactionId`. */
  async createMany(creates: readonly EventCreate[]): Promise<ItemResult<GraphEvent>[]> {
    const items = creates.map((c, i): BatchItem => ({
      id: String(i),
      method: "POST",
      url: `${this.#calendar}/events`,
      body: withStamp(c),
      headers: IMMUTABLE,
    }));
    return (await runBatch(this.client, items)).map((o) =>
      o.ok ? { ok: true, value: parseEvent(o.body) } : batchItemFailed(o)
    );
  }

  /** Updates events, occurrences (which become exceptions) and exceptions; returns each after the write. */
  async updateMany(updates: readonly EventUpdate[]): Promise<ItemResult<GraphEvent>[]> {
    const items = updates.map((u, i): BatchItem => ({
      id: String(i),
      method: "PATCH",
      url: `/me/events/${encodeURIComponent(u.id)}`,
      body: u.body,
      headers: { ...IMMUTABLE, ...(u.changeKey ? { "If-Match": `W/"${u.changeKey}"` } : {}) },
    }));
    return (await runBatch(this.client, items)).map((o) =>
      o.ok ? { ok: true, value: parseEvent(o.body) } : batchItemFailed(o)
    );
  }

  /** Deletes events or single occurrences; `gone` means already gone. */
  async deleteMany(ids: readonly string[]): Promise<ItemResult<void>[]> {
    const items = ids.map((id, i): BatchItem => ({
      id: String(i),
      method: "DELETE",
      url: `/me/events/${encodeURIComponent(id)}`,
      headers: IMMUTABLE,
    }));
    return (await runBatch(this.client, items)).map((o) => o.ok ? { ok: true, value: undefined } : batchItemFailed(o));
  }
}

/** The create's body with its `transactionId` and our CRM-id stamp (kept beside any other property of ours). */
function withStamp(c: EventCreate): GraphEventWrite {
  const others = (c.body.singleValueExtendedProperties ?? []).filter((p) => p.id !== CRM_ID_PROPERTY);
  return {
    ...c.body,
    transactionId: c.transactionId,
    singleValueExtendedProperties: [...others, { id: CRM_ID_PROPERTY, value: c.crmId }],
  };
}
