import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import type { Logger } from "../log/mod.ts";
import type { Scheduler } from "./scheduler.ts";
import type { SyncKind } from "./kind.ts";
import type { GraphSubscriptions } from "./subscriptions.ts";
import { ECHO_WAIT_MS } from "./triggers.ts";

const NotificationsSchema = z.object({
  value: z.array(
    z.object({
      subscriptionId: z.string().max(200),
      clientState: z.string().max(200).optional(),
      lifecycleEvent: z.string().max(100).optional(),
      changeType: z.string().max(50).optional(),
      resourceData: z.object({ id: z.string().max(500).optional(), "@odata.etag": z.string().max(500).optional() })
        .passthrough().optional(),
    }).passthrough(),
  ).min(1).max(1_000),
});

/** Path Graph posts change and lifecycle notifications to (public, not tenant-authenticated). */
export const NOTIFICATIONS_PATH = "/graph/notifications";

/**
 * Graph change notifications (P3): the validation handshake echoes the token; a notification whose
 * subscription and client state are ours asks for a run at once; lifecycle events renew
 * (`reauthorizationRequired`), recreate (`subscriptionRemoved`) or catch up (`missed`). Anything
 * else is ignored with 202, so a forged notification can at most cause a harmless run check.
 */
export function mountNotificationRoutes(
  app: OpenAPIHono<AppEnv>,
  subs: GraphSubscriptions,
  scheduler: Scheduler,
  logger: Logger,
  kind?: Pick<SyncKind, "linkedChangeKey">,
): void {
  app.post(NOTIFICATIONS_PATH, async (c) => {
    const token = c.req.query("validationToken");
    if (token !== undefined) return c.text(token.slice(0, 1_000), 200, { "content-type": "text/plain" });
    const parsed = NotificationsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.body(null, 202);
    for (const n of parsed.data.value) {
      const user = await subs.resolve(n.subscriptionId, n.clientState);
      if (!user) {
        logger.warn("notification for an unknown subscription ignored", { subscriptionId: n.subscriptionId });
        continue;
      }
      if (!n.lifecycleEvent) {
        // Graph may notify of our own write before the run that made it has stored the link: while
        // this replica runs the user, the check waits for that run (its rows) to end, without holding
        // Graph's request. Should the process die first, the interrupted run is run again and reads
        // the change anyway.
        const ended = scheduler.runEnded(user.tenantId, user.userId, ECHO_WAIT_MS);
        if (ended) {
          void ended.then(() => isEcho(kind, user, n)).catch(() => false)
            .then((echo) =>
              echo ? undefined : scheduler.request(user.tenantId, user.userId, "notification", { delayMs: 0 })
            )
            .catch((err) => logger.warn("asking for a run after a notification failed", { error: err }));
          continue;
        }
        if (await isEcho(kind, user, n)) continue;
      }
      if (n.lifecycleEvent === "subscriptionRemoved") await subs.forget(n.subscriptionId);
      if (n.lifecycleEvent === "reauthorizationRequired") await subs.renewSoon(n.subscriptionId);
      await scheduler.request(
        user.tenantId,
        user.userId,
        n.lifecycleEvent ? `lifecycle:${n.lifecycleEvent}` : "notification",
      );
    }
    return c.body(null, 202);
  });
}

/**
 * The notification of our own write (P8: half the runs at a steady load were these): an update
 * whose change key is the one the user's clean link holds. The delta still carries it; the next
 * run reads it as a no-op.
 */
async function isEcho(
  kind: Pick<SyncKind, "linkedChangeKey"> | undefined,
  user: { tenantId: string; userId: string },
  n: z.output<typeof NotificationsSchema>["value"][number],
): Promise<boolean> {
  const id = n.resourceData?.id;
  const etag = n.resourceData?.["@odata.etag"];
  if (!kind?.linkedChangeKey || n.changeType !== "updated" || !id || !etag) return false;
  const changeKey = /^W\/"(.*)"$/.exec(etag)?.[1];
  return changeKey !== undefined && changeKey === await kind.linkedChangeKey(user.tenantId, user.userId, id);
}
