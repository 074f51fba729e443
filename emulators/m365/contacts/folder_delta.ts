import type { Context } from "hono";
import { requireScope } from "../graph/auth.ts";
import type { GraphEnv } from "../graph/env.ts";
import { applySelect, contextUrl, originOf } from "../graph/odata.ts";
import { pageSizeOf } from "../graph/paging.ts";
import { queryOption } from "../graph/query.ts";
import { addPreferenceApplied } from "../graph/prefer.ts";
import { ensureDefault } from "./folders.ts";
import { CONTACT_FOLDER_KIND, renderContactFolder } from "./model.ts";

/** One entry of a round: a folder to render when its page is served, or one that is gone. */
type Entry = { kind: "folder"; id: string } | { kind: "removed"; id: string };

/** What a skip or delta token carries: the folders seen at the round's end, and pages still to serve. */
interface FolderDeltaState {
  seen: Record<string, string>;
  select?: string[];
  pending?: Entry[];
}

/**
 * `GET /contactFolders/delta` (contactfolder-delta.md): the mailbox's contact folders below the
 * default "Contacts" folder, at any depth (UNVERIFIED which folders a tenant lists; the same ones
 * `/contactFolders` and their child folders show). Each round compares the folders (id and change
 * key) with those the previous round ended with: new or renamed → the folder, gone →
 * `{"id", "@removed": {"reason": "deleted"}}`. `$select` from the initial request is kept in the
 * tokens; follow-up links carry only `$skiptoken`/`$deltatoken`; old generations answer 410.
 */
export function serveContactFolderDelta(c: Context<GraphEnv>): Response {
  requireScope(c, "Contacts.Read");
  const ctx = c.get("ctx");
  const mailbox = c.get("mailbox");
  const root = ensureDefault(mailbox);
  const token = queryOption(c, "skiptoken") ?? queryOption(c, "deltatoken");
  const now: Record<string, string> = {};
  for (const f of mailbox.folders.list(CONTACT_FOLDER_KIND)) if (f.id !== root.id) now[f.id] = f.changeKey;

  let chainId: string;
  let state: FolderDeltaState;
  let entries: Entry[];
  if (token && queryOption(c, "skiptoken")) {
    ({ chainId, state } = ctx.deltaTokens.resume<FolderDeltaState>(mailbox.userId, "contactFolders", token));
    entries = state.pending ?? [];
  } else {
    let previous: FolderDeltaState | undefined;
    if (token) {
      ({ chainId, state: previous } = ctx.deltaTokens.resume<FolderDeltaState>(
        mailbox.userId,
        "contactFolders",
        token,
      ));
    } else chainId = ctx.deltaTokens.start(mailbox.userId, "contactFolders");
    const seen = previous?.seen ?? {};
    entries = Object.entries(now).filter(([id, key]) => seen[id] !== key).map(([id]) => ({ kind: "folder", id }));
    for (const id of Object.keys(seen)) if (!(id in now)) entries.push({ kind: "removed", id });
    const select = previous ? previous.select : queryOption(c, "select")?.split(",").map((s) => s.trim());
    state = { seen: now, select };
  }

  const size = pageSizeOf(c, {}, ctx.config.defaultDeltaPageSize);
  const value = entries.slice(0, size).map((e) => {
    const folder = e.kind === "folder" ? mailbox.folders.get(e.id, CONTACT_FOLDER_KIND) : undefined;
    if (!folder) return { id: e.id, "@removed": { reason: "deleted" } };
    return applySelect(renderContactFolder(folder), state.select);
  });
  const rest = entries.slice(size);
  const link = `${originOf(c)}${new URL(c.req.url).pathname}`;
  const body: Record<string, unknown> = { "@odata.context": contextUrl(c, "Collection(contactFolder)") };
  if (rest.length) {
    body["@odata.nextLink"] = `${link}?$skiptoken=${ctx.deltaTokens.issue(chainId, { ...state, pending: rest })}`;
  } else {
    body["@odata.deltaLink"] = `${link}?$deltatoken=${
      ctx.deltaTokens.issue(chainId, { ...state, pending: undefined })
    }`;
  }
  body.value = value;
  addPreferenceApplied(c, "odata.track-changes");
  return c.json(body);
}
