import type { Subscription } from "../subscriptions/model.ts";
import type { ChangeEntry } from "./change_log.ts";
import type { AccessToken, AppRegistration, Grant, RefreshToken, Tenant, User } from "./directory.ts";
import type { Folder } from "./folders.ts";
import type { OutlookItem } from "./items.ts";
import type { SentMail } from "./mail_log.ts";
import type { EmulatorState } from "./state.ts";

/** The on-disk form of the emulator's state (version 1). Codes are not kept: they live minutes. */
export interface Snapshot {
  version: 1;
  tenants: Tenant[];
  users: User[];
  apps: AppRegistration[];
  grants: Grant[];
  refreshTokens: RefreshToken[];
  accessTokens: AccessToken[];
  mailboxes: {
    userId: string;
    folders: Folder[];
    items: OutlookItem[];
    changes: { seq: number; entries: ChangeEntry[] };
    bag: Record<string, unknown>;
  }[];
  mailLog: SentMail[];
  subscriptions: Subscription[];
}

export function takeSnapshot(state: EmulatorState, subscriptions: Iterable<Subscription>): Snapshot {
  return {
    version: 1,
    tenants: [...state.tenants.values()],
    users: [...state.users.values()],
    apps: [...state.apps.values()],
    grants: [...state.grants.values()],
    refreshTokens: [...state.refreshTokens.values()],
    accessTokens: [...state.accessTokens.values()],
    mailboxes: [...state.mailboxes.values()].map((m) => ({
      userId: m.userId,
      folders: m.folders.all(),
      items: [...m.items.all()],
      changes: m.changes.toJSON(),
      bag: m.bag,
    })),
    mailLog: state.mailLog.toJSON(),
    subscriptions: [...subscriptions],
  };
}

/** Replaces `state` with the snapshot's content; returns its subscriptions for the service. */
export function restoreSnapshot(state: EmulatorState, snap: Snapshot): Subscription[] {
  if (snap.version !== 1) throw new Error(`unsupported snapshot version ${snap.version}`);
  state.clear();
  for (const t of snap.tenants) state.tenants.set(t.id, t);
  for (const a of snap.apps) state.apps.set(a.clientId, a);
  for (const g of snap.grants) state.grants.set(g.id, g);
  for (const r of snap.refreshTokens) state.refreshTokens.set(r.token, r);
  for (const t of snap.accessTokens) state.accessTokens.set(t.token, t);
  for (const u of snap.users) state.addUser(u);
  for (const m of snap.mailboxes) {
    const box = state.mailbox(m.userId);
    box.folders.restore(m.folders);
    box.items.restore(m.items);
    box.changes.restore(m.changes);
    Object.assign(box.bag, m.bag);
  }
  state.mailLog.restore(snap.mailLog);
  return snap.subscriptions;
}
