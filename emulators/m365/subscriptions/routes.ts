import type { Context, Hono } from "hono";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { hasScope } from "../graph/auth.ts";
import { readJsonBody } from "../graph/body.ts";
import type { GraphEnv } from "../graph/env.ts";
import { accessDenied, badRequest, GraphError } from "../graph/errors.ts";
import { contextUrl } from "../graph/odata.ts";
import { newGuid } from "../state/ids.ts";
import { renderSubscription, type Subscription } from "./model.ts";

const CHANGE_TYPES = new Set(["created", "updated", "deleted"]);
const MIN_LIFETIME_MS = 45 * 60_000;

const CreateSchema = z.strictObject({
  "@odata.type": z.string().optional(),
  changeType: z.string().min(1),
  notificationUrl: z.url(),
  lifecycleNotificationUrl: z.url().optional(),
  resource: z.string().min(1),
  expirationDateTime: z.iso.datetime({ offset: true }),
  clientState: z.string().max(128).optional(),
  latestSupportedTlsVersion: z.string().optional(),
  includeResourceData: z.literal(false).optional(),
  // Only JSON notifications (the default) are sent; rich notifications need includeResourceData.
  notificationContentType: z.literal("application/json").optional(),
  notificationQueryOptions: z.string().nullable().optional(),
  encryptionCertificate: z.string().nullable().optional(),
  encryptionCertificateId: z.string().nullable().optional(),
});
const PatchSchema = z.strictObject({ expirationDateTime: z.iso.datetime({ offset: true }) });

/** `POST/GET/PATCH/DELETE /subscriptions` and `POST /subscriptions/{id}/reauthorize`. */
export function subscriptionRoutes(routes: Hono<GraphEnv>, ctx: EmulatorContext): void {
  const svc = ctx.subscriptions;
  const own = (c: Context<GraphEnv>, id: string): Subscription => {
    const s = svc.get(id);
    const p = c.get("principal");
    if (!s || s.applicationId !== p.app.clientId || s.creatorId !== p.user.id) {
      throw new GraphError(404, "ResourceNotFound", `The object '${id}' was not found.`);
    }
    return s;
  };
  const entity = (c: Context<GraphEnv>, s: Subscription) => ({
    "@odata.context": contextUrl(c, "subscriptions/$entity"),
    ...renderSubscription(s),
  });

  routes.post("/subscriptions", async (c) => {
    const input = await readJsonBody(c, CreateSchema, "microsoft.graph.subscription");
    const p = c.get("principal");
    const target = resolveResource(c, ctx, input.resource);
    const types = input.changeType.split(",").map((t) => t.trim());
    if (types.some((t) => !CHANGE_TYPES.has(t))) {
      throw badRequest(`Invalid changeType '${input.changeType}'.`, "InvalidRequest");
    }
    for (const url of [input.notificationUrl, input.lifecycleNotificationUrl].filter((u) => u !== undefined)) {
      checkUrl(ctx, url);
    }
    const expiresAt = expiry(ctx, input.expirationDateTime);
    for (const url of [input.notificationUrl, input.lifecycleNotificationUrl].filter((u) => u !== undefined)) {
      const why = await svc.validate(url);
      if (why) {
        throw badRequest(
          `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${why})`,
          "InvalidRequest",
        );
      }
    }
    const s: Subscription = {
      id: newGuid(),
      resource: input.resource,
      changeType: types.join(","),
      clientState: input.clientState,
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl,
      expiresAt,
      applicationId: p.app.clientId,
      creatorId: p.user.id,
      tenantId: p.user.tenantId,
      immutableIds: c.get("prefer").immutableId,
      ...target,
    };
    svc.subscriptions.set(s.id, s);
    return c.json(entity(c, s), 201);
  });

  routes.get("/subscriptions", (c) => {
    const p = c.get("principal");
    const value = [...svc.subscriptions.keys()].map((id) => svc.get(id))
      .filter((s): s is Subscription => !!s && s.applicationId === p.app.clientId && s.creatorId === p.user.id)
      .map(renderSubscription);
    return c.json({ "@odata.context": contextUrl(c, "subscriptions"), value });
  });
  routes.get("/subscriptions/:id", (c) => c.json(entity(c, own(c, c.req.param("id")))));
  routes.patch("/subscriptions/:id", async (c) => {
    const s = own(c, c.req.param("id"));
    const input = await readJsonBody(c, PatchSchema, "microsoft.graph.subscription");
    s.expiresAt = expiry(ctx, input.expirationDateTime);
    return c.json(entity(c, s));
  });
  routes.delete("/subscriptions/:id", (c) => {
    svc.subscriptions.delete(own(c, c.req.param("id")).id);
    return c.body(null, 204);
  });
  routes.post("/subscriptions/:id/reauthorize", (c) => {
    own(c, c.req.param("id"));
    return c.body(null, 204);
  });
}

/** Maps `me/contacts`, `/users/{id}/contactFolders/{f}/contacts`, `me/events`, ... to what it covers. */
function resolveResource(c: Context<GraphEnv>, ctx: EmulatorContext, resource: string) {
  const p = c.get("principal");
  const m = /^\/?(?:me|users\/([^/]+))\/(.+?)\/?$/i.exec(resource.trim());
  const unsupported = () => badRequest(`Resource '${resource}' is not supported.`, "InvalidRequest");
  if (!m) throw unsupported();
  const user = m[1] ? ctx.state.findUser(p.user.tenantId, decodeURIComponent(m[1])) : p.user;
  if (!user) throw new GraphError(404, "ErrorInvalidUser", `The requested user '${m[1]}' is invalid.`);
  if (user.id !== p.user.id) throw accessDenied();
  const mailbox = ctx.state.mailbox(user.id);
  for (const r of ctx.subscriptions.resources) {
    const match = r.pattern.exec(m[2]!);
    if (!match) continue;
    if (!r.scopes.some((s) => hasScope(p.token.scopes, s))) throw accessDenied();
    const folderId = r.resolveFolder(match, mailbox);
    if (!folderId) throw new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return { userId: user.id, kind: r.kind, folderId, entitySet: r.entitySet, odataType: r.odataType };
  }
  throw unsupported();
}

function checkUrl(ctx: EmulatorContext, url: string): void {
  const u = new URL(url);
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  if (u.protocol === "https:") return;
  if (u.protocol === "http:" && loopback && ctx.config.subscriptions.allowHttpLoopback) return;
  throw badRequest("The notification URL must use the HTTPS scheme.", "InvalidRequest");
}

function expiry(ctx: EmulatorContext, text: string): number {
  const now = ctx.clock.now();
  const at = Date.parse(text);
  const maxMinutes = ctx.config.subscriptions.maxExpirationMinutes;
  if (at <= now) throw badRequest("Subscription expiration date time must be in the future.", "InvalidRequest");
  if (at > now + maxMinutes * 60_000) {
    throw badRequest(`Subscription expiration can only be ${maxMinutes} minutes in the future.`, "InvalidRequest");
  }
  // Graph bumps anything shorter than 45 minutes to 45 minutes (graph-facts §5).
  return Math.max(at, now + MIN_LIFETIME_MS);
}
