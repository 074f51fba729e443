import { Hono } from "hono";
import type { EmulatorContext } from "../context.ts";
import { GraphError, graphErrorResponse } from "../graph/errors.ts";
import { restoreSnapshot, type Snapshot, takeSnapshot } from "../state/snapshot.ts";
import { adminBody, adminUser } from "./helpers.ts";
import {
  AppInputSchema,
  ConfigPatchSchema,
  ExpireDeltaInputSchema,
  FaultRuleSchema,
  LifecycleInputSchema,
  RevokeInputSchema,
  SnapshotInputSchema,
  TenantInputSchema,
  UserInputSchema,
} from "./schemas.ts";
import { applyConfigPatch, seedTenant } from "./seed.ts";

/**
 * The admin API (`/_admin/...`): JSON in and out, zod-validated, no auth (local test
 * infrastructure). Modules add their own admin routes (contacts, calendar) to the same app.
 */
export function buildAdminApp(ctx: EmulatorContext): Hono {
  const admin = new Hono();
  admin.onError((err, c) => {
    if (err instanceof GraphError) return graphErrorResponse(c, err);
    ctx.log.error("admin error", { err });
    return c.json({ error: { code: "generalException", message: String(err) } }, 500);
  });

  admin.get("/health", (c) => c.json({ ok: true }));
  admin.post("/reset", async (c) => {
    await ctx.subscriptions.stop();
    ctx.state.clear();
    ctx.subscriptions.reset();
    ctx.faults.clear();
    ctx.limiter.reset();
    ctx.counters.reset();
    ctx.deltaTokens.reset();
    return c.json({ ok: true });
  });

  admin.post("/tenants", async (c) => c.json(seedTenant(ctx, await adminBody(c, TenantInputSchema)), 201));
  admin.get("/tenants", (c) => c.json({ value: [...ctx.state.tenants.values()] }));
  admin.post("/tenants/:tenant/users", async (c) => {
    const tenant = ctx.state.findTenant(c.req.param("tenant"));
    if (!tenant) throw new GraphError(404, "NotFound", `No tenant '${c.req.param("tenant")}'.`);
    const input = await adminBody(c, UserInputSchema);
    return c.json(ctx.state.addUser({ ...input, tenantId: tenant.id }), 201);
  });
  admin.post("/apps", async (c) => c.json(ctx.state.addApp(await adminBody(c, AppInputSchema)), 201));
  admin.get("/users/:user", (c) => {
    const user = adminUser(ctx, c.req.param("user"));
    const box = ctx.state.mailbox(user.id);
    const grants = [...ctx.state.grants.values()].filter((g) => g.userId === user.id);
    return c.json({ user, grants, folders: box.folders.all(), changeHead: box.changes.head });
  });
  admin.post("/users/:user/revoke-grants", async (c) => {
    const user = adminUser(ctx, c.req.param("user"));
    const { clientId } = await adminBody(c, RevokeInputSchema);
    let revoked = 0;
    for (const g of ctx.state.grants.values()) {
      if (g.userId === user.id && g.revokedAt === undefined && (!clientId || g.clientId === clientId)) {
        g.revokedAt = ctx.clock.now();
        revoked++;
      }
    }
    return c.json({ revoked });
  });
  admin.post("/users/:user/items/:id/change-id", (c) => {
    const user = adminUser(ctx, c.req.param("user"));
    const box = ctx.state.mailbox(user.id);
    const item = box.items.get(c.req.param("id"));
    if (!item) throw new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    const previousId = item.id;
    box.items.changeRegularId(item);
    return c.json({ previousId, id: item.id, immutableId: item.immutableId });
  });

  admin.get("/config", (c) => c.json(ctx.config));
  admin.patch("/config", async (c) => c.json(applyConfigPatch(ctx, await adminBody(c, ConfigPatchSchema))));

  admin.get("/faults", (c) => c.json({ value: ctx.faults.list() }));
  admin.post("/faults", async (c) => {
    const { pathRegex: _, ...rule } = ctx.faults.add(await adminBody(c, FaultRuleSchema));
    return c.json(rule, 201);
  });
  admin.delete("/faults/:id", (c) => c.body(null, ctx.faults.remove(c.req.param("id")) ? 204 : 404));
  admin.delete("/faults", (c) => (ctx.faults.clear(), c.body(null, 204)));
  admin.post("/delta/expire", async (c) => {
    const { user } = await adminBody(c, ExpireDeltaInputSchema);
    return c.json({ expired: ctx.deltaTokens.expireAll(user ? adminUser(ctx, user).id : undefined) });
  });

  admin.get("/counts", (c) => c.json(ctx.counters.snapshot()));
  admin.delete("/counts", (c) => (ctx.counters.reset(), c.body(null, 204)));
  admin.get("/mail-log", (c) => {
    const user = c.req.query("user");
    return c.json({ value: ctx.state.mailLog.list({ fromUserId: user ? adminUser(ctx, user).id : undefined }) });
  });

  admin.get("/subscriptions", (c) => c.json({ value: [...ctx.subscriptions.subscriptions.values()] }));
  admin.post("/subscriptions/:id/lifecycle", async (c) => {
    const { event } = await adminBody(c, LifecycleInputSchema);
    const d = await ctx.subscriptions.lifecycle(c.req.param("id"), event);
    if (!d) {
      throw new GraphError(404, "ResourceNotFound", "No such subscription, or it has no lifecycleNotificationUrl.");
    }
    return c.json(d);
  });
  admin.post("/subscriptions/:id/expire", (c) => {
    const s = ctx.subscriptions.subscriptions.get(c.req.param("id"));
    if (!s) throw new GraphError(404, "ResourceNotFound", "No such subscription.");
    s.expiresAt = ctx.clock.now();
    return c.json({ ok: true });
  });
  admin.get("/notifications", (c) => c.json({ value: ctx.subscriptions.deliveries() }));
  admin.post("/notifications/settle", async (c) => (await ctx.subscriptions.settle(), c.json({ ok: true })));
  admin.post("/notifications/hold", (c) => (ctx.subscriptions.hold(), c.json({ ok: true })));
  admin.post("/notifications/release", (c) => (ctx.subscriptions.release(), c.json({ ok: true })));

  admin.post("/snapshot/save", async (c) => {
    const { path } = await adminBody(c, SnapshotInputSchema);
    await Deno.writeTextFile(path, JSON.stringify(takeSnapshot(ctx.state, ctx.subscriptions.subscriptions.values())));
    return c.json({ ok: true, path });
  });
  admin.post("/snapshot/load", async (c) => {
    const { path } = await adminBody(c, SnapshotInputSchema);
    const snap = JSON.parse(await Deno.readTextFile(path)) as Snapshot;
    ctx.subscriptions.reset();
    for (const s of restoreSnapshot(ctx.state, snap)) ctx.subscriptions.subscriptions.set(s.id, s);
    return c.json({ ok: true });
  });

  for (const m of ctx.modules) m.adminRoutes?.(admin, ctx);
  return admin;
}
