import type { Context, Hono } from "hono";
import { requireScope } from "../graph/auth.ts";
import { readJsonBody } from "../graph/body.ts";
import type { GraphEnv } from "../graph/env.ts";
import { badRequest, GraphError, itemNotFound } from "../graph/errors.ts";
import { serveItemDelta } from "../graph/item_delta.ts";
import { itemMatches, itemViewOf } from "../graph/item_view.ts";
import { contextUrl } from "../graph/odata.ts";
import { collectionPage } from "../graph/paging.ts";
import { checkIfMatch } from "../graph/preconditions.ts";
import { parseODataQuery } from "../graph/query.ts";
import type { Folder } from "../state/folders.ts";
import { InvalidExtendedPropertyIdError, type OutlookItem } from "../state/items.ts";
import { contactFolderOf, ensureDefault } from "./folders.ts";
import { applyContactInput, CONTACT_KIND, contactResponse, newContactProps, renderContact } from "./model.ts";
import { ContactInputSchema } from "./schema.ts";

/**
 * Contacts CRUD and delta, in the default folder (`/contacts`) and in any folder
 * (`/contactFolders/{id}/contacts`). `/contacts/{id}` finds a contact in any folder, as Outlook.
 */
export function contactRoutes(routes: Hono<GraphEnv>): void {
  const folderOf = (c: Context<GraphEnv>): Folder => {
    const id = c.req.param("folderId");
    return id === undefined ? ensureDefault(c.get("mailbox")) : contactFolderOf(c, id);
  };
  const base = (c: Context<GraphEnv>, folder: Folder) =>
    folder.isDefault && c.req.param("folderId") === undefined
      ? `users('${c.get("mailbox").userId}')/contacts`
      : `users('${c.get("mailbox").userId}')/contactFolders('${folder.id}')/contacts`;

  for (const prefix of ["/contacts", "/contactFolders/:folderId/contacts"]) {
    routes.get(`${prefix}/delta`, (c) => {
      requireScope(c, "Contacts.Read");
      const folder = folderOf(c);
      return serveItemDelta(c, {
        scope: `contacts:${folder.id}`,
        kind: CONTACT_KIND,
        folderId: folder.id,
        contextFragment: "Collection(contact)",
        render: renderContact,
        removedExtra: { "@odata.type": "#microsoft.graph.contact" },
        defaultPageSize: c.get("ctx").config.defaultDeltaPageSize,
      });
    });

    routes.get(prefix, (c) => {
      requireScope(c, "Contacts.Read");
      const folder = folderOf(c);
      const query = parseODataQuery(c);
      const view = itemViewOf(c, query);
      const items = c.get("mailbox").items.list(CONTACT_KIND, folder.id)
        .filter((item) => itemMatches(item, renderContact(item, view), query));
      return collectionPage(c, items, query, base(c, folder), (item) => contactResponse(item, view));
    });

    routes.post(prefix, async (c) => {
      requireScope(c, "Contacts.ReadWrite");
      const folder = folderOf(c);
      const input = await readJsonBody(c, ContactInputSchema, "microsoft.graph.contact");
      const item = withExtendedPropertyCheck(() =>
        c.get("mailbox").items.create(
          CONTACT_KIND,
          folder.id,
          newContactProps(input),
          input.singleValueExtendedProperties,
        )
      );
      const view = itemViewOf(c, { expand: [] });
      return c.json(
        { "@odata.context": contextUrl(c, `${base(c, folder)}/$entity`), ...contactResponse(item, view) },
        201,
      );
    });

    routes.get(`${prefix}/:id`, (c) => {
      requireScope(c, "Contacts.Read");
      const item = contactOf(c, folderOf(c));
      const view = itemViewOf(c, parseODataQuery(c));
      return c.json({
        "@odata.context": contextUrl(c, `${base(c, folderOf(c))}/$entity`),
        ...contactResponse(item, view),
      });
    });

    routes.patch(`${prefix}/:id`, async (c) => {
      requireScope(c, "Contacts.ReadWrite");
      const folder = folderOf(c);
      const item = contactOf(c, folder);
      checkIfMatch(c, item);
      const input = await readJsonBody(c, ContactInputSchema, "microsoft.graph.contact");
      if (input.parentFolderId && input.parentFolderId !== item.folderId) {
        throw badRequest(
          "The property 'parentFolderId' is read-only on update.",
          "ErrorInvalidPropertyUpdateSentMessage",
        );
      }
      withExtendedPropertyCheck(() =>
        c.get("mailbox").items.update(item, (p) => applyContactInput(p, input), input.singleValueExtendedProperties)
      );
      const view = itemViewOf(c, { expand: [] });
      return c.json({ "@odata.context": contextUrl(c, `${base(c, folder)}/$entity`), ...contactResponse(item, view) });
    });

    routes.delete(`${prefix}/:id`, (c) => {
      requireScope(c, "Contacts.ReadWrite");
      const item = contactOf(c, folderOf(c));
      checkIfMatch(c, item);
      c.get("mailbox").items.delete(item);
      return c.body(null, 204);
    });
  }
}

function contactOf(c: Context<GraphEnv>, folder: Folder): OutlookItem {
  const item = c.get("mailbox").items.get(c.req.param("id")!, CONTACT_KIND);
  // `/contacts/{id}` reaches any folder; `/contactFolders/{f}/contacts/{id}` only that folder.
  if (!item || (c.req.param("folderId") !== undefined && item.folderId !== folder.id)) throw itemNotFound();
  return item;
}

function withExtendedPropertyCheck<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InvalidExtendedPropertyIdError) throw new GraphError(400, "ErrorInvalidProperty", err.message);
    throw err;
  }
}
