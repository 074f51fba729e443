import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { RecordIdSchema } from "@app/shared/contract";
import type { AppEnv } from "@app/shared/http";
import type { EventLinkQueries } from "./adapters/link_queries.ts";

const AttemptSchema = z.object({
  at: z.string(),
  direction: z.enum(["to_outlook", "to_crm"]),
  action: z.string(),
  outcome: z.enum(["ok", "failed", "throttled", "gone"]),
  message: z.string().optional(),
});
const MemberSchema = z.object({
  userId: z.string(),
  role: z.string().nullable(),
  crmId: z.string().nullable(),
  graphId: z.string().nullable(),
  status: z.enum(["synced", "pending", "error", "suspended"]),
  state: z.string(),
  lastError: z.string().nullable(),
  attempts: z.array(AttemptSchema),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), side: z.enum(["crm", "outlook"]).optional() })),
  updatedAt: z.string(),
}).openapi("CalendarMemberStatus");

const appointmentStatus = createRoute({
  method: "get",
  path: "/v1/calendar/appointments/{crmId}",
  summary: "One appointment's sync status per member calendar, each with its last 3 attempts (E4, E7)",
  security: [{ tenantApiKey: [] }],
  request: { params: z.object({ crmId: RecordIdSchema }) },
  responses: {
    200: {
      description: "Every member holding (or due to hold) a copy; empty when none is linked",
      content: { "application/json": { schema: z.object({ crmId: z.string(), members: z.array(MemberSchema) }) } },
    },
  },
});

/**
 * calendar-sync's own HTTP routes beside the engine's per-user ones (status, item, preview,
 * confirm, sync now): the per-appointment view across members. Authenticated under /v1 by the
 * engine's tenant-key middleware; every query is scoped to the caller's tenant.
 */
export function mountCalendarRoutes(app: OpenAPIHono<AppEnv>, queries: EventLinkQueries): void {
  app.openapi(appointmentStatus, async (c) => {
    const { crmId } = c.req.valid("param");
    return c.json({ crmId, members: await queries.members(c.get("tenant").tenantId, crmId) }, 200);
  });
}
