import type { Context } from "hono";
import type { OutlookItem } from "../state/items.ts";
import type { GraphEnv } from "./env.ts";
import type { ItemView } from "./item_view.ts";
import { contextUrl, originOf } from "./odata.ts";
import { pageSizeOf } from "./paging.ts";
import { addPreferenceApplied, IMMUTABLE_ID_APPLIED } from "./prefer.ts";
import { queryOption } from "./query.ts";

/** One changed item in a change round, resolved when its page is served. */
interface ChangeRef {
  immutableId: string;
  /** The regular id the item last had in this folder (what a client that lost it knew). */
  lastIdInFolder: string;
  /** Regular ids it had in this folder before an id change (reported as removed in regular-id mode). */
  oldIds: string[];
}

type DeltaState =
  | { phase: "initial"; ids: string[]; offset: number; upTo: number; select?: string[] }
  | { phase: "changes"; refs: ChangeRef[]; offset: number; upTo: number; select?: string[] }
  | { phase: "idle"; since: number; select?: string[] };

/** What a module supplies to serve a folder's item delta. */
export interface ItemDeltaSource {
  /** Chain scope; a token is only valid for the same scope (e.g. `contacts:<folderId>`). */
  scope: string;
  kind: string;
  folderId: string;
  /** `@odata.context` fragment, e.g. `Collection(contact)`. */
  contextFragment: string;
  /** Full rendering of a present item (the engine applies `$select`). */
  render(item: OutlookItem, view: ItemView): Record<string, unknown>;
  /** Extra fields on `@removed` entries, e.g. `{"@odata.type":"#microsoft.graph.contact"}`. */
  removedExtra?: Record<string, unknown>;
  /** Page size when the client gives no `odata.maxpagesize`. */
  defaultPageSize: number;
}

/**
 * Serves `GET .../delta` for the items of one folder: the initial round lists what is there,
 * later rounds replay the change log since the last deltaLink (`@removed` for deletions and
 * moves out). Follow-up links carry only `$skiptoken`/`$deltatoken`; `$select` from the initial
 * request lives in the token state, as Graph documents.
 */
export function serveItemDelta(c: Context<GraphEnv>, src: ItemDeltaSource): Response {
  const ctx = c.get("ctx");
  const mailbox = c.get("mailbox");
  const skip = queryOption(c, "skiptoken");
  const delta = queryOption(c, "deltatoken");
  let chainId: string;
  let state: Exclude<DeltaState, { phase: "idle" }>;
  if (skip || delta) {
    const resumed = ctx.deltaTokens.resume<DeltaState>(mailbox.userId, src.scope, (skip ?? delta)!);
    chainId = resumed.chainId;
    state = resumed.state.phase === "idle" ? changeRound(c, src, resumed.state) : resumed.state;
  } else {
    chainId = ctx.deltaTokens.start(mailbox.userId, src.scope);
    const select = queryOption(c, "select")?.split(",").map((s) => s.trim()).filter(Boolean);
    state = {
      phase: "initial",
      ids: mailbox.items.list(src.kind, src.folderId).map((i) => i.immutableId),
      offset: 0,
      upTo: mailbox.changes.head,
      select,
    };
  }
  const view: ItemView = { immutableIds: c.get("prefer").immutableId, select: state.select, expand: [] };
  const size = pageSizeOf(c, {}, src.defaultPageSize);
  const value: Record<string, unknown>[] = [];
  let offset = state.offset;
  const total = state.phase === "initial" ? state.ids.length : state.refs.length;
  while (value.length < size && offset < total) {
    if (state.phase === "initial") {
      const item = mailbox.items.get(state.ids[offset++]!, src.kind);
      if (item && item.folderId === src.folderId) value.push(shape(src.render(item, view), view));
    } else {
      value.push(...renderChange(c, src, state.refs[offset++]!, view));
    }
  }
  const body: Record<string, unknown> = { "@odata.context": contextUrl(c, src.contextFragment) };
  const link = `${originOf(c)}${new URL(c.req.url).pathname}`;
  if (offset < total) {
    body["@odata.nextLink"] = `${link}?$skiptoken=${ctx.deltaTokens.issue(chainId, { ...state, offset })}`;
  } else {
    const idle: DeltaState = { phase: "idle", since: state.upTo, select: state.select };
    body["@odata.deltaLink"] = `${link}?$deltatoken=${ctx.deltaTokens.issue(chainId, idle)}`;
  }
  body.value = value;
  addPreferenceApplied(c, "odata.track-changes");
  if (view.immutableIds) addPreferenceApplied(c, IMMUTABLE_ID_APPLIED);
  return c.json(body);
}

function shape(full: Record<string, unknown>, view: ItemView): Record<string, unknown> {
  if (!view.select?.length) return full;
  const wanted = new Set(view.select.map((s) => s.toLowerCase()));
  return Object.fromEntries(
    Object.entries(full).filter(([k]) => k.startsWith("@odata.") || k === "id" || wanted.has(k.toLowerCase())),
  );
}

/** Turns the change log since `since` into one entry per touched item of this folder. */
function changeRound(
  c: Context<GraphEnv>,
  src: ItemDeltaSource,
  idle: { since: number; select?: string[] },
): Exclude<DeltaState, { phase: "idle" }> {
  const mailbox = c.get("mailbox");
  const upTo = mailbox.changes.head;
  const refs = new Map<string, ChangeRef & { createdHere: boolean }>();
  for (const e of mailbox.changes.since(idle.since, upTo)) {
    if (e.kind !== src.kind) continue;
    const here = e.folderId === src.folderId;
    const leftHere = e.previousFolderId === src.folderId;
    if (!here && !leftHere) continue;
    let ref = refs.get(e.immutableId);
    if (!ref) {
      ref = { immutableId: e.immutableId, lastIdInFolder: e.id, oldIds: [], createdHere: e.type === "created" };
      refs.set(e.immutableId, ref);
    }
    if (e.previousId && (here || leftHere) && !ref.oldIds.includes(e.previousId)) ref.oldIds.push(e.previousId);
    ref.lastIdInFolder = here ? e.id : e.previousId ?? e.id;
  }
  const list: ChangeRef[] = [];
  for (const ref of refs.values()) {
    const item = mailbox.items.get(ref.immutableId, src.kind);
    const present = item !== undefined && item.folderId === src.folderId;
    // Created and gone again within the round: the client never saw it, say nothing.
    if (!present && ref.createdHere) continue;
    list.push({ immutableId: ref.immutableId, lastIdInFolder: ref.lastIdInFolder, oldIds: ref.oldIds });
  }
  return { phase: "changes", refs: list, offset: 0, upTo, select: idle.select };
}

function renderChange(c: Context<GraphEnv>, src: ItemDeltaSource, ref: ChangeRef, view: ItemView) {
  const item = c.get("mailbox").items.get(ref.immutableId, src.kind);
  const removed = (id: string) => ({ ...src.removedExtra, id, "@removed": { reason: "deleted" } });
  const out: Record<string, unknown>[] = [];
  if (item && item.folderId === src.folderId) {
    // Regular-id clients lose the old id when it changes: Outlook reports it gone, the new one new.
    if (!view.immutableIds) { for (const old of ref.oldIds) if (old !== item.id) out.push(removed(old)); }
    out.push(shape(src.render(item, view), view));
  } else {
    out.push(removed(view.immutableIds ? ref.immutableId : ref.lastIdInFolder));
  }
  return out;
}
