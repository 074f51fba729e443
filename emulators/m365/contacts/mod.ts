import type { GraphModule } from "../module.ts";
import { contactAdminRoutes } from "./admin.ts";
import { contactFolderOfMailbox } from "./folders_admin.ts";
import { contactFolderRoutes, WELL_KNOWN_CONTACTS } from "./folders.ts";
import { CONTACT_FOLDER_KIND, CONTACT_KIND } from "./model.ts";
import { contactRoutes } from "./routes.ts";

/** Contact folders, contacts (CRUD, delta, extended properties) and their subscriptions. */
export const contactsModule: GraphModule = {
  name: "contacts",
  mailboxRoutes(routes) {
    contactFolderRoutes(routes);
    contactRoutes(routes);
  },
  adminRoutes: contactAdminRoutes,
  subscriptionResources: [
    {
      pattern: /^contacts$/i,
      kind: CONTACT_KIND,
      scopes: ["Contacts.Read"],
      entitySet: "Contacts",
      odataType: "#Microsoft.Graph.Contact",
      resolveFolder: (_m, mailbox) => contactFolderOfMailbox(mailbox, undefined).id,
    },
    {
      pattern: /^contactFolders\/([^/]+)\/contacts$/i,
      kind: CONTACT_KIND,
      scopes: ["Contacts.Read"],
      entitySet: "Contacts",
      odataType: "#Microsoft.Graph.Contact",
      resolveFolder: (m, mailbox) => {
        const root = contactFolderOfMailbox(mailbox, undefined);
        if (m[1]!.toLowerCase() === WELL_KNOWN_CONTACTS) return root.id;
        return mailbox.folders.get(m[1]!, CONTACT_FOLDER_KIND)?.id;
      },
    },
  ],
};
