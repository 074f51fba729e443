import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { UserIdSchema } from "@app/shared/contract";
import { ConflictError, NotFoundError } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { RunCoordinator } from "@app/shared/runs";
import type { ContactSyncService } from "../contact_sync_service.ts";
import type { StatusStore } from "../adapters/status_store.ts";

// Path parameters are documented from the route path; shared schemas are used as they are.
const UserParams = z.object({ userId: UserIdSchema });
const ItemParams = UserParams.extend({ crmId: z.string().min(1) });
const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const security = [{ tenantApiKey: [] }];
const Accepted = z.object({ requested: z.boolean() });
const Anything = z.record(z.string(), z.unknown());
const AttemptSchema = z.object({
  at: z.string(),
  direction: z.enum(["to_outlook", "to_crm"]),
  action: z.string(),
  outcome: z.enum(["ok", "failed", "throttled"]),
  message: z.string().optional(),
});
const WarningSchema = z.object({ code: z.string(), message: z.string(), side: z.enum(["crm", "outlook"]).optional() });
const StatusSchema = z.object({
  userId: z.string(),
  pending: z.boolean().openapi({ description: "A run is requested and not finished" }),
  paused: z.object({ reason: z.string(), since: z.string().nullable() }).nullable(),
  lastRunAt: z.string().nullable(),
  links: z.object({ total: z.number(), synced: z.number(), failing: z.number(), held: z.number() }),
  runs: z.array(z.object({
    id: z.string(),
    reasons: z.array(z.string()),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    status: z.string(),
    error: z.string().nullable(),
    graphRequests: z.number().nullable(),
    summary: z.unknown(),
  })),
}).openapi("ContactSyncStatus");
const ItemSchema = z.object({
  crmId: z.string().nullable(),
  graphId: z.string().nullable(),
  status: z.enum(["synced", "pending", "error"]),
  state: z.string(),
  lastError: z.string().nullable(),
  attempts: z.array(AttemptSchema),
  warnings: z.array(WarningSchema),
  updatedAt: z.string(),
}).openapi("ContactSyncItem");

const routes = {
  syncNow: createRoute({
    method: "post",
    path: "/v1/users/{userId}/contacts/sync",
    summary: "Sync this user's contacts now (P3); runs coalesce with other triggers",
    security,
    request: { params: UserParams },
    responses: { 202: json(Accepted, "Run requested") },
  }),
  status: createRoute({
    method: "get",
    path: "/v1/users/{userId}/contacts/status",
    summary: "Recent runs with counts, paused reason, link counts",
    security,
    request: { params: UserParams },
    responses: { 200: json(StatusSchema, "The user's contact sync status") },
  }),
  confirm: createRoute({
    method: "post",
    path: "/v1/users/{userId}/contacts/confirm",
    summary: "Confirm a paused mass change (P6); the next run applies it",
    security,
    request: { params: UserParams },
    responses: { 202: json(Accepted, "Confirmed; a run is requested"), 409: json(Anything, "Nothing is paused") },
  }),
  preview: createRoute({
    method: "get",
    path: "/v1/users/{userId}/contacts/preview",
    summary: "What the next run would do, writing nothing (A9)",
    security,
    request: { params: UserParams },
    responses: { 200: json(Anything, "Links, creates on each side, probable duplicates, invalid records") },
  }),
  item: createRoute({
    method: "get",
    path: "/v1/users/{userId}/contacts/items/{crmId}",
    summary: "One contact's sync status with its last 3 attempts and warnings",
    security,
    request: { params: ItemParams },
    responses: { 200: json(ItemSchema, "The contact's link"), 404: json(Anything, "Not synced for this user") },
  }),
};

/** HTTP routes of contacts-sync for the CRM; every query is scoped to the caller's tenant. */
export function mountStatusRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { store: StatusStore; runs: RunCoordinator; service: ContactSyncService },
): void {
  const { store, runs, service } = deps;

  app.openapi(routes.syncNow, async (c) => {
    await runs.request(c.get("tenant").tenantId, c.req.valid("param").userId, "sync_now");
    return c.json({ requested: true }, 202);
  });

  app.openapi(routes.status, async (c) => {
    return c.json(await store.userStatus(c.get("tenant").tenantId, c.req.valid("param").userId), 200);
  });

  app.openapi(routes.confirm, async (c) => {
    const ok = await runs.confirm(c.get("tenant").tenantId, c.req.valid("param").userId);
    if (!ok) throw new ConflictError("not_paused", "this user's contact sync is not paused");
    return c.json({ requested: true }, 202);
  });

  app.openapi(routes.preview, async (c) => {
    return c.json(await service.preview(c.get("tenant").tenantId, c.req.valid("param").userId), 200);
  });

  app.openapi(routes.item, async (c) => {
    const { userId, crmId } = c.req.valid("param");
    const item = await store.item(c.get("tenant").tenantId, userId, crmId);
    if (!item) throw new NotFoundError(`contact ${crmId} is not synced for user ${userId}`);
    return c.json(item, 200);
  });
}
