import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { User } from "../state/directory.ts";
import type { GraphEnv } from "./env.ts";
import { accessDenied, GraphError, irresolvableConflict, throttled } from "./errors.ts";
import type { Fault } from "./faults.ts";
import { retryAfterHeaders } from "./limits.ts";

const MAILBOX_PREFIX = /^\/v1\.0\/(?:me|users\/[^/]+)/i;

/**
 * Runs before every mailbox route: resolves `/me` or `/users/{id|upn}` to a mailbox, counts the
 * request, applies injected faults, then Graph's per app + mailbox limits. The concurrency slot
 * is held until the handler has answered.
 */
export function mailboxGuard(): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const ctx = c.get("ctx");
    const user = resolveMailboxUser(c);
    c.set("mailboxUser", user);
    c.set("mailbox", ctx.state.mailbox(user.id));
    if (!c.env?.batch) ctx.counters.request(user.id);
    const path = c.req.path.replace(MAILBOX_PREFIX, "") || "/";
    const endpoint = `${c.req.method} ${routePath(c, -1).replace(MAILBOX_PREFIX, "") || "/"}`;
    let status = 0; // stays 0 for a connection reset
    const leave = ctx.counters.enter(user.id, c.get("principal").app.clientId);
    try {
      const faults = ctx.faults.pick({ userId: user.id, upn: user.userPrincipalName, method: c.req.method, path });
      for (const f of faults) if (f.kind === "oversizePage") c.set("oversizePage", f.pageSize);
      const hard = faults.find((f) => f.kind === "status" || f.kind === "reset");
      if (hard) {
        const delay = faults.reduce((ms, f) => ms + (f.kind === "delay" ? f.delayMs : 0), 0);
        if (delay) await ctx.sleep(delay);
        const res = applyHardFault(c, hard);
        if (hard.kind !== "reset") status = res.status;
        return res;
      }
      const admitted = ctx.limiter.enter(`${c.get("principal").app.clientId}|${user.id}`);
      if ("code" in admitted) {
        throw throttled(admitted.code, admitted.message, retryAfterHeaders(admitted.retryAfterMs));
      }
      try {
        for (const f of faults) if (f.kind === "delay") await ctx.sleep(f.delayMs);
        const latency = c.req.method === "GET" ? ctx.config.latency.readMs : ctx.config.latency.writeMs;
        if (latency > 0) await ctx.sleep(ctx.clock.scale(latency));
        await next();
        status = c.res.status;
      } finally {
        admitted.release();
      }
    } catch (err) {
      status = err instanceof GraphError ? err.status : 500;
      throw err;
    } finally {
      leave();
      ctx.counters.operation(user.id, endpoint, status);
    }
  };
}

function resolveMailboxUser(c: Context<GraphEnv>): User {
  const ctx = c.get("ctx");
  const me = c.get("principal").user;
  const named = c.req.param("userId");
  if (named === undefined) return me;
  const decoded = decodeURIComponent(named);
  const user = ctx.state.findUser(me.tenantId, decoded);
  if (!user) throw new GraphError(404, "ErrorInvalidUser", `The requested user '${decoded}' is invalid.`);
  // Delegated tokens reach only the signed-in user's own mailbox (no .Shared scopes here).
  if (user.id !== me.id) throw accessDenied();
  return user;
}

function applyHardFault(c: Context<GraphEnv>, f: Fault): Response {
  const ctx = c.get("ctx");
  if (f.kind === "reset") {
    if (ctx.resetConnection(c.env?.remoteAddr)) return new Response(null, { status: 500 });
    // In-process (no socket to drop): a body that breaks mid-read is the nearest thing.
    return new Response(new ReadableStream({ pull: (ctl) => ctl.error(new Error("connection reset")) }), {
      status: 200,
    });
  }
  if (f.kind !== "status") throw new Error("not a hard fault");
  const wait = retryAfterHeaders(ctx.clock.scale((f.retryAfterSeconds ?? 1) * 1000));
  switch (f.status) {
    case 429:
      throw throttled("TooManyRequests", "Please retry again later.", wait);
    case 503:
      throw new GraphError(
        503,
        "serviceNotAvailable",
        "The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, the length of which may be specified in a Retry-After header.",
        wait,
      );
    case 504:
      throw new GraphError(
        504,
        "GatewayTimeout",
        "The gateway did not receive a timely response from the upstream server.",
      );
    case 412:
      throw irresolvableConflict();
    default:
      throw new GraphError(500, "generalException", "An unspecified error has occurred.");
  }
}
