import type { Hono } from "hono";
import type { EmulatorContext } from "./context.ts";
import type { GraphEnv } from "./graph/env.ts";
import type { SubscriptionResource } from "./subscriptions/resources.ts";

/**
 * The seam between the emulator's core and a feature module (contacts, calendar, ...). A module
 * is a plain object; `server.ts` calls each hook once while building the app. See DEVELOPING.md.
 */
export interface GraphModule {
  /** Short unique name; also the key of the module's per-mailbox state (`mailbox.moduleState`). */
  name: string;
  /**
   * Routes relative to a mailbox, mounted at both `/v1.0/me` and `/v1.0/users/{id|upn}`.
   * Before they run: bearer auth, mailbox resolution, request counting, faults and limits.
   * Register paths like `/contacts/:id`; read `c.get("mailbox")`, `c.get("principal")`.
   */
  mailboxRoutes?(routes: Hono<GraphEnv>, ctx: EmulatorContext): void;
  /** Routes directly under `/v1.0` (bearer auth has run; no mailbox, no limits). */
  graphRoutes?(routes: Hono<GraphEnv>, ctx: EmulatorContext): void;
  /** JSON routes under `/_admin` (no auth; the admin API is local test infrastructure). */
  adminRoutes?(routes: Hono, ctx: EmulatorContext): void;
  /** Subscription resource paths served by this module's items (e.g. `me/events`). */
  subscriptionResources?: SubscriptionResource[];
}
