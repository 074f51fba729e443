import type { Hono } from "hono";
import { z } from "zod";
import { adminBody, adminUser } from "../admin/helpers.ts";
import type { EmulatorContext } from "../context.ts";
import { parseJson } from "../graph/body.ts";
import { GraphError } from "../graph/errors.ts";
import { InvalidExtendedPropertyIdError } from "../state/items.ts";
import { contactFolderOfMailbox } from "./folders_admin.ts";
import { CONTACT_FOLDER_KIND, CONTACT_KIND, newContactProps, renderContact } from "./model.ts";
import { ContactInputSchema } from "./schema.ts";

const BulkSchema = z.strictObject({
  folderId: z.string().optional(),
  contacts: z.array(z.unknown()).max(100_000),
});
const FolderSchema = z.strictObject({ displayName: z.string().min(1) });

/**
 * Seeding without HTTP per item: thousands of contacts in one call (each validated with the
 * same schema as `POST /contacts`), folders, and a read-back of what is stored.
 */
export function contactAdminRoutes(admin: Hono, ctx: EmulatorContext): void {
  admin.post("/users/:user/contact-folders", async (c) => {
    const user = adminUser(ctx, c.req.param("user"));
    const { displayName } = await adminBody(c, FolderSchema);
    const mailbox = ctx.state.mailbox(user.id);
    const parent = contactFolderOfMailbox(mailbox, undefined);
    const folder = mailbox.folders.create(CONTACT_FOLDER_KIND, { displayName, parentFolderId: parent.id });
    return c.json({ id: folder.id, displayName: folder.displayName }, 201);
  });

  admin.post("/users/:user/contacts/bulk", async (c) => {
    const user = adminUser(ctx, c.req.param("user"));
    const { folderId, contacts } = await adminBody(c, BulkSchema);
    const mailbox = ctx.state.mailbox(user.id);
    const folder = contactFolderOfMailbox(mailbox, folderId);
    const inputs = contacts.map((raw, i) => {
      try {
        return parseJson(ContactInputSchema, raw, "microsoft.graph.contact");
      } catch (err) {
        throw new GraphError(400, "BadRequest", `contacts.${i}: ${(err as Error).message}`);
      }
    });
    const value = inputs.map((input) => {
      try {
        const item = mailbox.items.create(
          CONTACT_KIND,
          folder.id,
          newContactProps(input),
          input.singleValueExtendedProperties,
        );
        return { id: item.id, immutableId: item.immutableId };
      } catch (err) {
        if (err instanceof InvalidExtendedPropertyIdError) {
          throw new GraphError(400, "ErrorInvalidProperty", err.message);
        }
        throw err;
      }
    });
    return c.json({ value }, 201);
  });

  admin.get("/users/:user/contacts", (c) => {
    const user = adminUser(ctx, c.req.param("user"));
    const mailbox = ctx.state.mailbox(user.id);
    const folder = contactFolderOfMailbox(mailbox, c.req.query("folderId"));
    const value = mailbox.items.list(CONTACT_KIND, folder.id).map((item) => ({
      ...renderContact(item, { immutableIds: false, expand: [] }),
      immutableId: item.immutableId,
      singleValueExtendedProperties: Object.values(item.extendedProperties),
    }));
    return c.json({ value });
  });
}
