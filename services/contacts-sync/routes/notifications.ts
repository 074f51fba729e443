import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "@app/shared/http";
import type { Logger } from "@app/shared/log";
import type { RunCoordinator } from "@app/shared/runs";
import type { ContactSubscriptions } from "../adapters/subscriptions.ts";

const NotificationsSchema = z.object({
  value: z.array(
    z.object({
      subscriptionId: z.string(),
      clientState: z.string().optional(),
      lifecycleEvent: z.string().optional(),
    }).passthrough(),
  ).min(1),
});

/** Path Graph posts change and lifecycle notifications to (public, not tenant-authenticated). */
export const NOTIFICATIONS_PATH = "/graph/notifications";

/**
 * Graph change notifications (P3): the validation handshake echoes the token; a notification whose
 * subscription and client state are ours asks for a run; anything else is ignored with 202, so a
 * forged notification can at most cause a harmless extra run check, never a write.
 */
export function mountNotificationRoutes(
  app: OpenAPIHono<AppEnv>,
  subs: ContactSubscriptions,
  runs: RunCoordinator,
  logger: Logger,
): void {
  app.post(NOTIFICATIONS_PATH, async (c) => {
    const token = c.req.query("validationToken");
    if (token !== undefined) return c.text(token, 200, { "content-type": "text/plain" });
    const parsed = NotificationsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.body(null, 202);
    for (const n of parsed.data.value) {
      const user = await subs.resolve(n.subscriptionId, n.clientState);
      if (!user) {
        logger.warn("notification for an unknown subscription ignored", { subscriptionId: n.subscriptionId });
        continue;
      }
      if (n.lifecycleEvent === "subscriptionRemoved") await subs.forget(n.subscriptionId);
      await runs.request(
        user.tenantId,
        user.userId,
        n.lifecycleEvent ? `lifecycle:${n.lifecycleEvent}` : "notification",
      );
    }
    return c.body(null, 202);
  });
}
