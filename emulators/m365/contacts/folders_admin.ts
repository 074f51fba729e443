import { GraphError } from "../graph/errors.ts";
import type { Folder } from "../state/folders.ts";
import type { Mailbox } from "../state/mailbox.ts";
import { ensureDefault } from "./folders.ts";
import { CONTACT_FOLDER_KIND } from "./model.ts";

/** A contact folder by id, or the default one when no id is given (admin API use). */
export function contactFolderOfMailbox(mailbox: Mailbox, folderId: string | undefined): Folder {
  const root = ensureDefault(mailbox);
  if (folderId === undefined) return root;
  const folder = mailbox.folders.get(folderId, CONTACT_FOLDER_KIND);
  if (!folder) throw new GraphError(404, "ErrorItemNotFound", `No contact folder '${folderId}'.`);
  return folder;
}
