import type { EmulatorContext } from "../context.ts";
import type { EmulatorConfig } from "../config.ts";
import type { Tenant, User } from "../state/directory.ts";
import type { ConfigPatch, TenantInputSchema } from "./schemas.ts";
import type { z } from "zod";

/** Creates a tenant with its users (mailboxes) and app registrations in one call. */
export function seedTenant(
  ctx: EmulatorContext,
  input: z.output<typeof TenantInputSchema>,
): { tenant: Tenant; users: User[]; apps: string[] } {
  const tenant = ctx.state.addTenant(input);
  const users = input.users.map((u) => ctx.state.addUser({ ...u, tenantId: tenant.id }));
  const apps = input.apps.map((a) => ctx.state.addApp(a).clientId);
  return { tenant, users, apps };
}

/** Applies a partial config change in place (modules read `ctx.config` on every request). */
export function applyConfigPatch(ctx: EmulatorContext, patch: ConfigPatch): EmulatorConfig {
  const { limits, subscriptions, latency, timeScale, ...rest } = patch;
  Object.assign(ctx.config, stripUndefined(rest));
  if (limits) Object.assign(ctx.config.limits, stripUndefined(limits));
  if (latency) Object.assign(ctx.config.latency, stripUndefined(latency));
  if (subscriptions) Object.assign(ctx.config.subscriptions, stripUndefined(subscriptions));
  if (timeScale !== undefined) {
    ctx.config.timeScale = timeScale;
    ctx.clock.timeScale = timeScale;
  }
  return ctx.config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
