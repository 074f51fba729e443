import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { UserIdSchema } from "../contract/mod.ts";
import { ConflictError, NotFoundError } from "../errors/mod.ts";
import type { AppEnv } from "../http/env.ts";
import type { SyncKind } from "./kind.ts";
import type { Scheduler } from "./scheduler.ts";
import type { RunSessions } from "./session.ts";
import type { EngineTables } from "./tables.ts";

// deno-lint-ignore no-explicit-any -- works on any service's schema object
type AnyDb = PostgresJsDatabase<any>;

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string().optional(),
}).openapi("Problem");
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});
const UserParams = z.object({ userId: UserIdSchema });
const ItemParams = UserParams.extend({ crmId: z.string().min(1).max(128) });
const Accepted = z.object({ requested: z.boolean() }).openapi("RunRequested");
const ProgressSchema = z.object({ planned: z.number(), done: z.number(), failed: z.number() });
const AttemptSchema = z.object({
  at: z.string(),
  direction: z.enum(["to_outlook", "to_crm"]),
  action: z.string(),
  outcome: z.enum(["ok", "failed", "throttled", "gone"]),
  message: z.string().optional(),
});
const WarningSchema = z.object({ code: z.string(), message: z.string(), side: z.enum(["crm", "outlook"]).optional() });
const ItemSchema = z.object({
  crmId: z.string().nullable(),
  graphId: z.string().nullable(),
  status: z.enum(["synced", "pending", "error", "suspended"]),
  state: z.string(),
  lastError: z.string().nullable(),
  attempts: z.array(AttemptSchema),
  warnings: z.array(WarningSchema),
  updatedAt: z.string(),
}).openapi("SyncItem");
const FailureSchema = z.object({ key: z.string(), action: z.string(), message: z.string() });

/** The summary a run stores and the preview returns: counts, and the kind's report beside them. */
function summarySchema(report: z.ZodObject) {
  return z.object({
    status: z.string(),
    reason: z.string().optional(),
    complete: z.boolean(),
    planned: z.record(z.string(), z.number()),
    done: z.record(z.string(), z.number()),
    failures: z.array(FailureSchema),
  }).extend(report.shape);
}

/**
 * The routes every sync kind serves to the CRM, under `/v1/users/{userId}/<kind>/`: sync now,
 * status (runs with progress, pause), confirm (P6, A10), preview (A9), one item's status. Every
 * query is scoped to the caller's tenant.
 */
export function mountSyncRoutes(
  app: OpenAPIHono<AppEnv>,
  d: { kind: SyncKind; db: AnyDb; tables: EngineTables; scheduler: Scheduler; sessions: RunSessions },
): void {
  const { kind, scheduler, sessions } = d;
  const base = `/v1/users/{userId}/${kind.name}`;
  const security = [{ tenantApiKey: [] }];
  const Summary = summarySchema(kind.reportSchema);
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
      status: z.string().openapi({
        description:
          "running, completed, partial, paused, refused, awaiting_confirmation, blocked, failed, interrupted",
      }),
      mode: z.string().nullable(),
      error: z.string().nullable(),
      graphRequests: z.number().nullable(),
      progress: ProgressSchema.nullable(),
      summary: Summary.nullable(),
    })),
  }).openapi(`${kind.name}SyncStatus`);
  const PreviewSchema = z.object({
    blocked: z.string().optional().openapi({ description: "Why no preview can be made for this user now" }),
    summary: Summary.optional(),
  }).openapi(`${kind.name}SyncPreview`);
  const unauthorized = problem("Missing, unknown or revoked API key");
  const routes = {
    syncNow: createRoute({
      method: "post",
      path: `${base}/sync`,
      summary: `Sync this user's ${kind.name} now (P3); runs coalesce with other triggers`,
      security,
      request: { params: UserParams },
      responses: { 202: json(Accepted, "Run requested"), 401: unauthorized },
    }),
    status: createRoute({
      method: "get",
      path: `${base}/status`,
      summary: "Recent runs with counts and progress, paused reason, link counts",
      security,
      request: { params: UserParams },
      responses: { 200: json(StatusSchema, `The user's ${kind.title} status`), 401: unauthorized },
    }),
    confirm: createRoute({
      method: "post",
      path: `${base}/confirm`,
      summary: "Confirm a paused mass change (P6) or the first sync (A10); the next run applies it",
      security,
      request: { params: UserParams },
      responses: {
        202: json(Accepted, "Confirmed; a run is requested"),
        401: unauthorized,
        409: problem("Nothing is paused for this user"),
      },
    }),
    preview: createRoute({
      method: "get",
      path: `${base}/preview`,
      summary: "What the next run would do, writing nothing (A9, A10)",
      security,
      request: { params: UserParams },
      responses: { 200: json(PreviewSchema, "The plan's report, or why none can be made"), 401: unauthorized },
    }),
    item: createRoute({
      method: "get",
      path: `${base}/items/{crmId}`,
      summary: "One item's sync status with its last 3 attempts and warnings",
      security,
      request: { params: ItemParams },
      responses: {
        200: json(ItemSchema, "The item's link"),
        401: unauthorized,
        404: problem("Not synced for this user"),
      },
    }),
  };

  app.openapi(routes.syncNow, async (c) => {
    await scheduler.request(c.get("tenant").tenantId, c.req.valid("param").userId, "sync_now");
    return c.json({ requested: true }, 202);
  });

  app.openapi(routes.status, async (c) => {
    const tenantId = c.get("tenant").tenantId;
    const { userId } = c.req.valid("param");
    const t = d.tables;
    const [user] = await d.db.select().from(t.syncUsers)
      .where(and(eq(t.syncUsers.tenantId, tenantId), eq(t.syncUsers.userId, userId)));
    const recent = await d.db.select().from(t.syncRuns)
      .where(and(eq(t.syncRuns.tenantId, tenantId), eq(t.syncRuns.userId, userId)))
      .orderBy(desc(t.syncRuns.startedAt)).limit(10);
    return c.json({
      userId,
      pending: user ? user.requestedSeq > user.completedSeq : false,
      paused: user?.pausedReason ? { reason: user.pausedReason, since: user.pausedAt?.toISOString() ?? null } : null,
      lastRunAt: user?.lastRunAt?.toISOString() ?? null,
      links: await kind.linkCounts(tenantId, userId),
      runs: recent.map((r) => ({
        id: r.id,
        reasons: r.reasons.split(","),
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        status: r.status,
        mode: r.mode,
        error: r.error,
        graphRequests: r.graphRequests,
        progress: r.progress ?? null,
        summary: (r.summary ?? null) as z.infer<typeof Summary> | null,
      })),
    }, 200);
  });

  app.openapi(routes.confirm, async (c) => {
    const ok = await scheduler.confirm(c.get("tenant").tenantId, c.req.valid("param").userId);
    if (!ok) throw new ConflictError("not_paused", `this user's ${kind.title} is not paused`);
    return c.json({ requested: true }, 202);
  });

  app.openapi(routes.preview, async (c) => {
    const p = await sessions.preview(c.get("tenant").tenantId, c.req.valid("param").userId);
    return c.json(p as z.infer<typeof PreviewSchema>, 200);
  });

  app.openapi(routes.item, async (c) => {
    const { userId, crmId } = c.req.valid("param");
    const item = await kind.item(c.get("tenant").tenantId, userId, crmId);
    if (!item) throw new NotFoundError(`${crmId} is not synced for user ${userId}`);
    return c.json(item, 200);
  });
}
