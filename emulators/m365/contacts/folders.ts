import type { Context, Hono } from "hono";
import { requireScope } from "../graph/auth.ts";
import { readJsonBody } from "../graph/body.ts";
import type { GraphEnv } from "../graph/env.ts";
import { GraphError } from "../graph/errors.ts";
import { evaluateFilter } from "../graph/filter.ts";
import { contextUrl } from "../graph/odata.ts";
import { collectionPage } from "../graph/paging.ts";
import { parseODataQuery } from "../graph/query.ts";
import { applySelect } from "../graph/odata.ts";
import type { Folder } from "../state/folders.ts";
import { newFolderId } from "../state/ids.ts";
import type { Mailbox } from "../state/mailbox.ts";
import { CONTACT_FOLDER_KIND, defaultContactFolder, renderContactFolder } from "./model.ts";
import { serveContactFolderDelta } from "./folder_delta.ts";
import { ContactFolderInputSchema, ContactFolderPatchSchema } from "./schema.ts";

/** The default contact folder's well-known name. */
export const WELL_KNOWN_CONTACTS = "contacts";

/**
 * The folder a `/contactFolders/{id}` path names (the default folder's id or well-known name
 * works too); 404 otherwise. The default folder is made on first use, under a root id of its own.
 */
export function contactFolderOf(c: Context<GraphEnv>, id: string): Folder {
  const mailbox = c.get("mailbox");
  const root = ensureDefault(mailbox);
  // `contacts` is the default folder's well-known name (Exchange's distinguished folder id).
  const folder = id.toLowerCase() === WELL_KNOWN_CONTACTS ? root : mailbox.folders.get(id, CONTACT_FOLDER_KIND);
  if (!folder) throw new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  return folder;
}

/** The default contact folder, with its parent (the mailbox root) set. */
export function ensureDefault(mailbox: Mailbox): Folder {
  const folder = defaultContactFolder(mailbox);
  folder.parentFolderId ??= mailbox.moduleState("contacts", () => ({ rootId: newFolderId() })).rootId;
  return folder;
}

/** `/contactFolders`: list (children of the default folder), get, create, rename, delete. */
export function contactFolderRoutes(routes: Hono<GraphEnv>): void {
  routes.get("/contactFolders/delta", (c) => serveContactFolderDelta(c));
  routes.get("/contactFolders", (c) => {
    requireScope(c, "Contacts.Read");
    const query = parseODataQuery(c);
    const mailbox = c.get("mailbox");
    const root = ensureDefault(mailbox);
    const folders = mailbox.folders.list(CONTACT_FOLDER_KIND)
      .filter((f) => f.parentFolderId === root.id)
      .filter((f) => !query.filter || evaluateFilter(query.filter, renderContactFolder(f)));
    return collectionPage(
      c,
      folders,
      query,
      `users('${mailbox.userId}')/contactFolders`,
      (f) => applySelect(renderContactFolder(f), query.select),
    );
  });

  routes.get("/contactFolders/:folderId", (c) => {
    requireScope(c, "Contacts.Read");
    const folder = contactFolderOf(c, c.req.param("folderId"));
    return c.json({
      "@odata.context": contextUrl(c, `users('${c.get("mailbox").userId}')/contactFolders/$entity`),
      ...applySelect(renderContactFolder(folder), parseODataQuery(c).select),
    });
  });

  routes.post("/contactFolders", async (c) => {
    requireScope(c, "Contacts.ReadWrite");
    const input = await readJsonBody(c, ContactFolderInputSchema, "microsoft.graph.contactFolder");
    const mailbox = c.get("mailbox");
    const root = ensureDefault(mailbox);
    const parent = input.parentFolderId ? contactFolderOf(c, input.parentFolderId) : root;
    const clash = mailbox.folders.list(CONTACT_FOLDER_KIND).some((f) =>
      f.parentFolderId === parent.id && f.displayName.toLowerCase() === input.displayName.toLowerCase()
    );
    if (clash) throw new GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
    const folder = mailbox.folders.create(CONTACT_FOLDER_KIND, {
      displayName: input.displayName,
      parentFolderId: parent.id,
    });
    return c.json({
      "@odata.context": contextUrl(c, `users('${mailbox.userId}')/contactFolders/$entity`),
      ...renderContactFolder(folder),
    }, 201);
  });

  routes.patch("/contactFolders/:folderId", async (c) => {
    requireScope(c, "Contacts.ReadWrite");
    const folder = contactFolderOf(c, c.req.param("folderId"));
    const input = await readJsonBody(c, ContactFolderPatchSchema, "microsoft.graph.contactFolder");
    if (input.displayName) folder.displayName = input.displayName;
    c.get("mailbox").folders.touch(folder);
    return c.json({
      "@odata.context": contextUrl(c, `users('${c.get("mailbox").userId}')/contactFolders/$entity`),
      ...renderContactFolder(folder),
    });
  });

  routes.delete("/contactFolders/:folderId", (c) => {
    requireScope(c, "Contacts.ReadWrite");
    const folder = contactFolderOf(c, c.req.param("folderId"));
    if (folder.isDefault) {
      throw new GraphError(403, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.");
    }
    const mailbox = c.get("mailbox");
    for (const item of mailbox.items.list("contact", folder.id)) mailbox.items.delete(item);
    mailbox.folders.delete(folder.id);
    return c.body(null, 204);
  });
}
