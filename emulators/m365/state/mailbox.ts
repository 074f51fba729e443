import { type ChangeListener, ChangeLog } from "./change_log.ts";
import { FolderStore } from "./folders.ts";
import { ItemStore } from "./items.ts";

/**
 * A user's mailbox: folders, items, the change log they feed, and a bag where a module keeps
 * extra per-mailbox state (plain JSON only, so snapshots can write it).
 */
export class Mailbox {
  readonly folders = new FolderStore();
  readonly changes: ChangeLog;
  readonly items: ItemStore;
  /** Module state, keyed by module name; values must be JSON-serialisable. */
  readonly bag: Record<string, unknown> = {};

  constructor(readonly userId: string, readonly tenantId: string, listeners: Set<ChangeListener>, now: () => number) {
    this.changes = new ChangeLog(userId, listeners);
    this.items = new ItemStore(this.changes, now);
  }

  /** The module's state object in this mailbox, made by `init` on first use. */
  moduleState<T>(module: string, init: () => T): T {
    if (!(module in this.bag)) this.bag[module] = init();
    return this.bag[module] as T;
  }
}
