import type { ExtendedProperty } from "./items.ts";
import { newChangeKey, newFolderId } from "./ids.ts";

/**
 * A container of items: a contact folder (`kind: "contactFolder"`) or a calendar
 * (`kind: "calendar"`). Container ids never change (Outlook's immutable-id doc says so).
 */
export interface Folder<P = Record<string, unknown>> {
  kind: string;
  id: string;
  displayName: string;
  /** The parent folder id (contact folders) or `undefined` for roots. */
  parentFolderId?: string;
  /** The mailbox's default folder of this kind ("Contacts", "Calendar"). */
  isDefault: boolean;
  changeKey: string;
  /** Module-specific properties (e.g. a calendar's color). */
  props: P;
  extendedProperties: Record<string, ExtendedProperty>;
}

/** One mailbox's folders of every kind. */
export class FolderStore {
  #folders = new Map<string, Folder>();

  /** The default folder of `kind`, made on first use with `displayName`. */
  defaultOf(kind: string, displayName: string): Folder {
    for (const f of this.#folders.values()) if (f.kind === kind && f.isDefault) return f;
    return this.create(kind, { displayName, isDefault: true });
  }

  create<P>(
    kind: string,
    o: { displayName: string; parentFolderId?: string; isDefault?: boolean; props?: P },
  ): Folder<P> {
    const folder: Folder<P> = {
      kind,
      id: newFolderId(),
      displayName: o.displayName,
      parentFolderId: o.parentFolderId,
      isDefault: o.isDefault ?? false,
      changeKey: newChangeKey(),
      props: o.props ?? ({} as P),
      extendedProperties: {},
    };
    this.#folders.set(folder.id, folder as Folder);
    return folder;
  }

  get(id: string, kind?: string): Folder | undefined {
    const f = this.#folders.get(id);
    return f && (kind === undefined || f.kind === kind) ? f : undefined;
  }

  list(kind: string): Folder[] {
    return [...this.#folders.values()].filter((f) => f.kind === kind);
  }

  /** Records a change to a folder's own properties. */
  touch(folder: Folder): void {
    folder.changeKey = newChangeKey();
  }

  delete(id: string): boolean {
    return this.#folders.delete(id);
  }

  all(): Folder[] {
    return [...this.#folders.values()];
  }

  restore(folders: Folder[]): void {
    for (const f of folders) this.#folders.set(f.id, f);
  }
}
