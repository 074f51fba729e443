import type { ChangeLog } from "./change_log.ts";
import { canonicalExtendedPropertyId } from "./extended_property_id.ts";
import { newChangeKey, newImmutableId, newRegularId } from "./ids.ts";

/** A single-value extended property as the client spelled it. */
export interface ExtendedProperty {
  id: string;
  value: string;
}

/**
 * Any Outlook item (contact, event, ...). `props` holds the resource's own Graph JSON properties
 * (camelCase, as the module renders them); the fields around it are what every outlookItem has.
 * Everything is plain JSON so snapshots are a `JSON.stringify` away.
 */
export interface OutlookItem<P = Record<string, unknown>> {
  kind: string;
  immutableId: string;
  /** Current regular (REST) id. */
  id: string;
  folderId: string;
  changeKey: string;
  createdAt: number;
  modifiedAt: number;
  props: P;
  /** Keyed by {@link canonicalExtendedPropertyId}. */
  extendedProperties: Record<string, ExtendedProperty>;
}

/** Thrown when an extended property id cannot be parsed; routes turn it into a 400. */
export class InvalidExtendedPropertyIdError extends Error {
  constructor(readonly propertyId: string) {
    super(`The extended property id '${propertyId}' is not valid.`);
  }
}

/**
 * One mailbox's items of every kind. Each write bumps the change key, stamps the time and
 * appends to the change log, so delta, notifications and ETags follow without modules doing
 * anything more. Lookups accept the regular or the immutable id.
 */
export class ItemStore {
  #byImmutable = new Map<string, OutlookItem>();
  #regularToImmutable = new Map<string, string>();
  #byFolder = new Map<string, Set<string>>();

  constructor(private readonly log: ChangeLog, private readonly now: () => number) {}

  create<P>(kind: string, folderId: string, props: P, ext: ExtendedProperty[] = []): OutlookItem<P> {
    const at = this.now();
    const item: OutlookItem<P> = {
      kind,
      immutableId: newImmutableId(),
      id: newRegularId(),
      folderId,
      changeKey: newChangeKey(),
      createdAt: at,
      modifiedAt: at,
      props,
      extendedProperties: {},
    };
    setExtendedProperties(item, ext);
    this.#index(item as OutlookItem);
    this.log.append({ kind, type: "created", immutableId: item.immutableId, id: item.id, folderId, at });
    return item;
  }

  /** The item with this regular or immutable id (ids are case-sensitive, as in Outlook). */
  get(id: string, kind?: string): OutlookItem | undefined {
    const item = this.#byImmutable.get(id) ?? this.#byImmutable.get(this.#regularToImmutable.get(id) ?? "");
    return item && (kind === undefined || item.kind === kind) ? item : undefined;
  }

  /** Items of `kind` (optionally in one folder), in creation order. */
  list(kind: string, folderId?: string): OutlookItem[] {
    const out: OutlookItem[] = [];
    const ids = folderId === undefined
      ? this.#byImmutable.keys()
      : (this.#byFolder.get(folderId) ?? new Set()).values();
    for (const id of ids) {
      const item = this.#byImmutable.get(id);
      if (item && item.kind === kind) out.push(item);
    }
    return out;
  }

  /** Number of items of `kind` in `folderId`. */
  count(kind: string, folderId: string): number {
    return this.list(kind, folderId).length;
  }

  /**
   * Applies `mutate` to the item's props and extended properties, then records an update
   * (new change key, modified time, change-log entry).
   */
  update<P>(item: OutlookItem<P>, mutate?: (props: P) => P | void, ext: ExtendedProperty[] = []): OutlookItem<P> {
    assertExtendedPropertyIds(ext); // before mutating, so a bad id changes nothing
    if (mutate) {
      const next = mutate(item.props);
      if (next !== undefined) item.props = next;
    }
    setExtendedProperties(item, ext);
    return this.#touch(item, {});
  }

  delete(item: OutlookItem): void {
    this.#unindex(item);
    this.log.append({
      kind: item.kind,
      type: "deleted",
      immutableId: item.immutableId,
      id: item.id,
      folderId: item.folderId,
      at: this.now(),
    });
  }

  /** Moves the item to another folder; like Outlook, the regular id changes and the immutable id stays. */
  move(item: OutlookItem, folderId: string): OutlookItem {
    const previousFolderId = item.folderId;
    const previousId = item.id;
    this.#unindex(item);
    item.folderId = folderId;
    item.id = newRegularId();
    this.#index(item);
    return this.#touch(item, { previousFolderId, previousId });
  }

  /** Gives the item a new regular id in place (what a move out and back does); admin action. */
  changeRegularId(item: OutlookItem): OutlookItem {
    const previousId = item.id;
    this.#regularToImmutable.delete(item.id);
    item.id = newRegularId();
    this.#regularToImmutable.set(item.id, item.immutableId);
    return this.#touch(item, { previousId });
  }

  /** Every item, for snapshots and admin read-back. */
  all(): IterableIterator<OutlookItem> {
    return this.#byImmutable.values();
  }

  /** Loads items from a snapshot (no change-log entries). */
  restore(items: OutlookItem[]): void {
    for (const item of items) this.#index(item);
  }

  #touch<P>(item: OutlookItem<P>, extra: { previousFolderId?: string; previousId?: string }): OutlookItem<P> {
    item.changeKey = newChangeKey();
    item.modifiedAt = Math.max(this.now(), item.modifiedAt + 1);
    this.log.append({
      kind: item.kind,
      type: "updated",
      immutableId: item.immutableId,
      id: item.id,
      folderId: item.folderId,
      at: item.modifiedAt,
      ...extra,
    });
    return item;
  }

  #index(item: OutlookItem): void {
    this.#byImmutable.set(item.immutableId, item);
    this.#regularToImmutable.set(item.id, item.immutableId);
    let set = this.#byFolder.get(item.folderId);
    if (!set) this.#byFolder.set(item.folderId, set = new Set());
    set.add(item.immutableId);
  }

  #unindex(item: OutlookItem): void {
    this.#byImmutable.delete(item.immutableId);
    this.#regularToImmutable.delete(item.id);
    this.#byFolder.get(item.folderId)?.delete(item.immutableId);
  }
}

/** Throws {@link InvalidExtendedPropertyIdError} for the first malformed id. */
export function assertExtendedPropertyIds(ext: ExtendedProperty[]): void {
  for (const p of ext) if (!canonicalExtendedPropertyId(p.id)) throw new InvalidExtendedPropertyIdError(p.id);
}

/** Sets (or replaces) extended properties on an item; throws on a malformed id. */
export function setExtendedProperties(item: OutlookItem<unknown>, ext: ExtendedProperty[]): void {
  for (const p of ext) {
    const key = canonicalExtendedPropertyId(p.id);
    if (!key) throw new InvalidExtendedPropertyIdError(p.id);
    item.extendedProperties[key] = { id: p.id, value: p.value };
  }
}
