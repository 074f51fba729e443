import type { CrmGroup, CrmUser } from "@app/shared/contract";
import { ConflictError, NotFoundError } from "@app/shared/errors";
import {
  type Changed,
  events,
  freshId,
  isTaken,
  newTenantData,
  type SimTenant,
  type StoredGroup,
  type TenantData,
} from "./model.ts";
import { throwIfIssues, unknownUsers } from "./references.ts";

/**
 * The simulated CRM's records, all tenants, in memory. Synchronous on purpose: every change
 * happens in one turn of the event loop, so concurrent requests never see half a change.
 * Contact and appointment operations live in `contacts.ts` / `appointments.ts` and take
 * {@link CrmStore.tenant}'s data.
 */
export class CrmStore {
  #tenants = new Map<string, TenantData>();

  constructor(readonly now: () => Date = () => new Date()) {}

  /** The tenant's data, or a {@link NotFoundError}. */
  tenant(id: string): TenantData {
    const t = this.#tenants.get(id);
    if (!t) throw new NotFoundError(`tenant "${id}" not found`);
    return t;
  }

  /** Every tenant, in creation order. */
  tenants(): SimTenant[] {
    return [...this.#tenants.values()].map((t) => t.tenant);
  }

  /** Creates an empty tenant. */
  createTenant(input: { id: string; name: string }): SimTenant {
    if (this.#tenants.has(input.id)) throw new ConflictError("already_exists", `tenant "${input.id}" already exists`);
    const t = newTenantData({ ...input, createdAt: this.now().toISOString() });
    this.#tenants.set(input.id, t);
    return t.tenant;
  }

  /** Adds a user to a tenant. Users publish no events: the sync layer reads them with `crm.rpc.users.list`. */
  createUser(tenantId: string, input: { id?: string; displayName: string; email?: string }): CrmUser {
    const t = this.tenant(tenantId);
    if (input.id !== undefined && isTaken(t, input.id)) {
      throw new ConflictError("already_exists", `id "${input.id}" is already used in tenant "${tenantId}"`);
    }
    const user: CrmUser = {
      id: input.id ?? freshId(t, "usr"),
      tenantId,
      displayName: input.displayName,
      ...(input.email !== undefined ? { email: input.email } : {}),
    };
    t.users.set(user.id, user);
    return user;
  }

  /** Creates a group with its members (`crm.group.membership_changed`, version 1). */
  createGroup(tenantId: string, input: { id?: string; name: string; memberIds: string[] }): Changed<CrmGroup> {
    const t = this.tenant(tenantId);
    const memberIds = [...new Set(input.memberIds)];
    throwIfIssues(unknownUsers(t, memberIds, "memberIds"), "group");
    if (input.id !== undefined && isTaken(t, input.id)) {
      throw new ConflictError("already_exists", `id "${input.id}" is already used in tenant "${tenantId}"`);
    }
    const stored: StoredGroup = {
      group: { id: input.id ?? freshId(t, "grp"), tenantId, name: input.name, memberIds },
      version: 1,
    };
    t.groups.set(stored.group.id, stored);
    return { value: stored.group, events: [events.membership(stored)] };
  }

  /** Replaces a group's members; the group's version grows when they changed. */
  setGroupMembers(tenantId: string, groupId: string, memberIds: string[]): Changed<CrmGroup> {
    const t = this.tenant(tenantId);
    const current = t.groups.get(groupId);
    if (!current) throw new NotFoundError(`group "${groupId}" not found in tenant "${tenantId}"`);
    const members = [...new Set(memberIds)];
    throwIfIssues(unknownUsers(t, members, "memberIds"), "group");
    const same = members.length === current.group.memberIds.length &&
      members.every((m) => current.group.memberIds.includes(m));
    if (same) return { value: current.group, events: [] };
    const next: StoredGroup = { group: { ...current.group, memberIds: members }, version: current.version + 1 };
    t.groups.set(groupId, next);
    return { value: next.group, events: [events.membership(next)] };
  }

  /** Forgets every tenant. */
  clear(): void {
    this.#tenants.clear();
  }

  /** Every tenant's data (for snapshots). */
  all(): TenantData[] {
    return [...this.#tenants.values()];
  }

  /** Replaces everything with the given tenants (from a snapshot). */
  load(tenants: TenantData[]): void {
    this.#tenants = new Map(tenants.map((t) => [t.tenant.id, t]));
  }
}
